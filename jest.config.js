// Four projects: pure specs beside the code, store contract suites, end-to-end over HTTP/Kafka, and the
// serial suites that restart shared servers or kill processes on a clock (run alone, after the others).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Real servers: starting and stopping them (a Kafka consumer leaving its group) can take seconds under
  // load; the 5 s default failed a suite's teardown in CI. (Jest reads this globally, not per project.)
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...shared, displayName: 'contract', testMatch: ['<rootDir>/libs/**/*.contract.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
    { ...shared, displayName: 'serial', testMatch: ['<rootDir>/test/**/*.serial.test.ts'] },
  ],
};
