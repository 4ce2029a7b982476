// Lint for the whole monorepo. The last blocks keep the import layering of docs/architecture.md: libs/domain
// pure (no framework, driver or clock), each library importing only the libraries below it, no app
// importing another app's src/.
import js from '@eslint/js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

export const domainPurityRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@nestjs/*', 'pg', 'pg-*', 'kafkajs', '@kurrent/*', '@eventstore/*', 'better-sqlite3', '@electric-sql/*'], message: 'libs/domain is pure: frameworks and drivers stay at the edges.' },
        { group: ['@ledger/*', 'node:*', 'fs', 'crypto', 'http', 'net'], message: 'libs/domain depends on nothing but itself.' },
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

// --- Import layering: apps → (runtime →) messaging, audit → application → projections → domain, event-store --
// Each library names the libraries it may import; a new folder in libs/ needs a row here. test/ and bench/
// drive the whole system and may import anything. Apps may import every library, never another app.
export const libraryImports = {
  // The composition library every app builds on: config, stores, runners, followers.
  runtime: ['messaging', 'audit', 'application', 'projections', 'domain', 'event-store'],
  domain: [],
  'event-store': [],
  projections: ['domain', 'event-store'],
  application: ['projections', 'domain', 'event-store'],
  messaging: ['application', 'projections', 'domain', 'event-store'],
  audit: ['application', 'projections', 'domain', 'event-store'],
  // Documents drawn from what the domain says (the credit report's PDF): no store, no framework.
  reporting: ['domain'],
};
const folders = (parent) =>
  readdirSync(join(import.meta.dirname, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const libraries = folders('libs');
const apps = folders('apps');
for (const library of libraries) {
  if (!(library in libraryImports)) throw new Error(`libs/${library} has no row in libraryImports (eslint.config.mjs)`);
}

const alternatives = (names) => names.join('|'); // folder names: letters, digits and hyphens

/** The layering restrictions of one folder (libs/<name> or apps/<name>). */
function layeringPatterns(folder) {
  const [parent, name] = folder.split('/');
  const patterns = [
    // A relative path out of the folder into a library: go through its package name instead.
    { regex: `^(\\.\\./)+(libs/|(${alternatives(libraries.filter((l) => l !== name))})/(src|test)(/|$))`, message: 'Import a library by its name (@ledger/…), not by a path into its folder.' },
    { regex: `^(\\.\\./)+(apps/)?(${alternatives(apps.filter((app) => app !== name))})(/|$)`, message: 'No app imports another app’s src/ (and no library an app): what apps share lives in a library.' },
  ];
  if (parent === 'libs') {
    const allowed = [name, ...libraryImports[name]];
    patterns.push({ regex: `^@ledger/(?!(${alternatives(allowed)})(/|$))`, message: `libs/${name} may import ${libraryImports[name].map((l) => `@ledger/${l}`).join(', ') || 'no other library'} (docs/architecture.md).` });
  }
  // The composition root serves every process, the CLI and the worker too: Nest stays at the HTTP edge.
  if (name === 'runtime') patterns.push({ regex: '^@nestjs/', message: 'libs/runtime composes without Nest; apps/ledger-api wraps what it gives in providers.' });
  return patterns;
}

/** One `no-restricted-imports` for a file: its folder's layering, and the domain's purity where that applies. */
const importRules = (folder, pure = false) => ({
  'no-restricted-imports': ['error', { patterns: [...(pure ? domainPurityRules['no-restricted-imports'][1].patterns : []), ...layeringPatterns(folder)] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.kafka/**', '.keycloak/**', '**/fixtures/**', 'coverage/**'] },
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
  ...[...libraries.map((l) => `libs/${l}`), ...apps.map((a) => `apps/${a}`)].map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: importRules(folder),
  })),
  // The domain's own code is pure besides; its specs may use the clock and Node to test it.
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: { ...domainPurityRules, ...importRules('libs/domain', true) },
  },
);
