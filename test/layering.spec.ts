// Proves the lint rule that keeps the import layering of docs/architecture.md actually fires (and stays quiet
// on imports the layering allows): apps → messaging, audit → application → projections → domain, event-store;
// no app imports another app's src/.
import { lintFixtures, type LintFixture } from './support/lint';

const importing = (filePath: string, from: string, name = 'x'): LintFixture => ({
  filePath,
  source: `import { ${name} } from '${from}';\nexport const y = ${name};`,
});

const refused: Array<[string, LintFixture]> = [
  [
    'an app importing another app’s src',
    importing('apps/ledger-worker/src/fixture.ts', '../../ledger-api/src/bootstrap'),
  ],
  [
    'the API importing the CLI’s src',
    importing('apps/ledger-api/src/commands/fixture.ts', '../../../ledger-cli/src/args'),
  ],
  [
    'an app importing a library by path',
    importing('apps/ledger-api/src/fixture.ts', '../../../libs/domain/src'),
  ],
  ['projections importing application', importing('libs/projections/src/fixture.ts', '@ledger/application')],
  [
    'application importing messaging',
    importing('libs/application/src/scheduler/fixture.ts', '@ledger/messaging'),
  ],
  ['application importing audit', importing('libs/application/src/fixture.ts', '@ledger/audit/src/digester')],
  ['messaging importing audit', importing('libs/messaging/src/fixture.ts', '@ledger/audit')],
  ['audit importing messaging', importing('libs/audit/src/fixture.ts', '@ledger/messaging')],
  ['reporting importing the event store', importing('libs/reporting/src/fixture.ts', '@ledger/event-store')],
  ['reporting importing application', importing('libs/reporting/src/fixture.ts', '@ledger/application')],
  [
    'messaging importing the composition library',
    importing('libs/messaging/src/fixture.ts', '@ledger/runtime'),
  ],
  ['the event store importing the domain', importing('libs/event-store/src/fixture.ts', '@ledger/domain')],
  ['the domain importing application', importing('libs/domain/src/fixture.ts', '@ledger/application')],
  [
    'the domain reaching the event store by path',
    importing('libs/domain/src/fixture.ts', '../../event-store/src'),
  ],
  [
    'a library importing an app',
    importing('libs/projections/src/fixture.ts', '../../../apps/ledger-api/src/bootstrap'),
  ],
  [
    'a library re-exporting one above it',
    {
      filePath: 'libs/projections/src/fixture.ts',
      source: "export { handleCommand } from '@ledger/application';",
    },
  ],
  // Rebuilds live with the read models, below libs/audit: they cannot reach up into it.
  [
    'a read-model rebuild importing libs/audit',
    importing('libs/projections/src/rebuild/fixture.ts', '@ledger/audit', 'auditProjections'),
  ],
  [
    'the worker’s main.ts importing a library by path',
    importing('apps/ledger-worker/src/main.ts', '../../../libs/domain/src'),
  ],
];

const accepted: Array<[string, LintFixture]> = [
  ['application importing projections', importing('libs/application/src/fixture.ts', '@ledger/projections')],
  [
    'application importing the domain',
    importing('libs/application/src/fixture.ts', '@ledger/domain/src/decider'),
  ],
  ['messaging importing application', importing('libs/messaging/src/fixture.ts', '@ledger/application')],
  ['audit importing the event store', importing('libs/audit/src/fixture.ts', '@ledger/event-store')],
  ['reporting importing the domain', importing('libs/reporting/src/fixture.ts', '@ledger/domain', 'CreditReport')],
  [
    'an app rendering a report through libs/reporting',
    importing('apps/ledger-api/src/fixture.ts', '@ledger/reporting', 'renderCreditReportPdf'),
  ],
  ['an app importing messaging', importing('apps/ledger-worker/src/fixture.ts', '@ledger/messaging')],
  [
    'an app importing inside itself',
    importing('apps/ledger-api/src/subjects/fixture.ts', '../common/validators'),
  ],
  [
    'an app taking verification from libs/audit',
    importing('apps/ledger-api/src/fixture.ts', '@ledger/audit', 'verifyLedger'),
  ],
  [
    'a contract test importing the test support',
    importing('libs/event-store/test/fixture.contract.test.ts', '../../../test/support/postgres'),
  ],
  [
    'the end-to-end suites importing an app',
    importing('test/support/fixture.ts', '../../apps/ledger-api/src/bootstrap'),
  ],
];

describe('the import layering rule', () => {
  let refusals: string[][];
  let acceptances: string[][];

  beforeAll(() => {
    const linted = lintFixtures([...refused, ...accepted].map(([, fixture]) => fixture));
    refusals = linted.slice(0, refused.length);
    acceptances = linted.slice(refused.length);
  });

  it.each(refused.map(([name], i) => [name, i] as const))('refuses %s', (_name, i) => {
    expect(refusals[i]!.join('\n')).toContain('no-restricted-imports');
  });

  it.each(accepted.map(([name], i) => [name, i] as const))('accepts %s', (_name, i) => {
    expect(acceptances[i]).toEqual([]);
  });
});
