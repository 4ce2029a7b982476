// A ledger for the e2e suites: the embedded SQLite stores in a temp directory, or PostgreSQL in a
// schema of its own; and commands that put subjects on lists the way the API does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  SubjectCommands,
  type SubjectCommandExecutor,
  type SubjectCommandRequest,
} from '@ledger/application';
import { PostgresEventStore, SqliteEventStore, type Actor, type EventStore } from '@ledger/event-store';
import {
  PostgresDocumentStore,
  SqliteDocumentStore,
  type Checkpoints,
  type DocumentStore,
} from '@ledger/projections';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../support/postgres';

export interface TestLedger {
  readonly kind: 'sqlite' | 'postgres';
  readonly store: EventStore;
  readonly documents: DocumentStore;
  readonly checkpoints: Checkpoints;
  readonly commands: SubjectCommands;
  /** Closes the stores and removes their data. */
  dispose(): Promise<void>;
}

export async function sqliteLedger(
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-kafka-')),
): Promise<TestLedger> {
  const store = await SqliteEventStore.open({ dataDir });
  const documents = await SqliteDocumentStore.open({ dataDir });
  return {
    kind: 'sqlite',
    store,
    documents,
    checkpoints: documents.checkpoints,
    commands: new SubjectCommands(store, { policyVersion: '2025-01' }),
    dispose: async () => {
      await store.close();
      await documents.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresLedger(): Promise<TestLedger> {
  await requirePostgres();
  const schema = uniqueSchema('kafka');
  const store = await PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema });
  const documents = await PostgresDocumentStore.open({ connectionString: TEST_DATABASE_URL, schema });
  return {
    kind: 'postgres',
    store,
    documents,
    checkpoints: documents.checkpoints,
    commands: new SubjectCommands(store, { policyVersion: '2025-01' }),
    dispose: async () => {
      await store.close();
      await documents.close();
      await dropSchema(schema);
    },
  };
}

export const xiamenOfficial: Actor = {
  userId: 'official-7',
  role: 'credit_officer',
  department: 'Xiamen Municipal Education Bureau',
  jurisdiction: '350200',
};

const bureau = { name: '厦门市教育局', uscc: '11350200MB0123456A' };
/** Two days after the decision: reported in time. */
const NOW = '2025-03-05T02:00:00Z';

export function run(commands: SubjectCommandExecutor, request: SubjectCommandRequest) {
  return commands.execute(request, { now: NOW, actor: xiamenOfficial, correlationId: randomUUID() });
}

export async function registerSchool(
  commands: SubjectCommandExecutor,
  subjectId = randomUUID(),
): Promise<string> {
  await run(commands, {
    type: 'RegisterSubject',
    data: {
      subjectId,
      kind: 'private_school',
      name: '厦门阳光实验学校',
      identifier: '91350200776049653A',
      jurisdiction: '350203',
    },
  });
  return subjectId;
}

export async function registerPerson(
  commands: SubjectCommandExecutor,
  kind: 'teacher' | 'student',
  identifier: string,
  subjectId = randomUUID(),
): Promise<string> {
  await run(commands, {
    type: 'RegisterSubject',
    data: {
      subjectId,
      kind,
      name: kind === 'teacher' ? '王老师' : '李同学',
      identifier,
      jurisdiction: '350203',
    },
  });
  return subjectId;
}

/** A serious penalty: the subject enters the black list (严重失信). */
export async function penalise(
  commands: SubjectCommandExecutor,
  subjectId: string,
  options: { recordId?: string; severity?: 'general' | 'serious'; legalRepresentativeId?: string } = {},
): Promise<string> {
  const recordId = options.recordId ?? randomUUID();
  await run(commands, {
    type: 'RecordPenalty',
    data: {
      subjectId,
      recordId,
      documentNumber: `厦教罚〔2025〕${recordId.slice(0, 8)}号`,
      offenceType: 'Operating beyond the approved scope',
      facts: 'Ran discipline tutoring for primary pupils without approval',
      legalBasis: 'Private Education Promotion Law Art. 62',
      categories: ['fine'],
      content: 'Fine of 20,000 yuan',
      fineAmountTenThousandYuan: 2,
      decisionDate: '2025-03-03',
      authority: bureau,
      severity: options.severity ?? 'serious',
      ...(options.legalRepresentativeId
        ? {
            legalRepresentative: {
              name: '张三',
              idType: 'resident_id',
              idNumber: options.legalRepresentativeId,
            },
          }
        : {}),
    },
  });
  return recordId;
}

export function revoke(commands: SubjectCommandExecutor, subjectId: string, recordId: string) {
  return run(commands, {
    type: 'RevokeRecord',
    data: { subjectId, recordId, reason: 'Annulled on administrative review' },
  });
}
