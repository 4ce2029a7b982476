// Lint for the whole monorepo. The last block keeps libs/domain pure: no framework, driver or clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const domainPurityRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@nestjs/*', 'pg', 'pg-*', 'kafkajs', '@kurrent/*', '@eventstore/*', 'better-sqlite3', '@electric-sql/*'], message: 'libs/domain is pure: frameworks and drivers stay at the edges.' },
        { group: ['@ledger/event-store*', '@ledger/projections*', '@ledger/messaging*', 'node:*', 'fs', 'crypto', 'http', 'net'], message: 'libs/domain depends on nothing but itself.' },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time comes in with the command (metadata.now), not from the clock.' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes in with the command (metadata.now), not from the clock.' },
    { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Ids and randomness come in with the command.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.kafka/**', '**/fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  { files: ['libs/domain/**/*.ts'], ignores: ['libs/domain/**/*.spec.ts'], rules: domainPurityRules },
  // The composition root serves every process, the CLI and the worker too: Nest stays at the HTTP edge.
  {
    files: ['libs/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*'], message: 'libs/runtime composes without Nest; apps/ledger-api wraps what it gives in providers.' }] }] },
  },
);
