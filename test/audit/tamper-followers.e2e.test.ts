// Tampering that the followers of the feed meet (issue 19): rows forged or edited with SQL behind the store's
// back, on PostgreSQL and SQLite, with the real relay on the real Kafka, the digester, the read models and the
// case initiator running. Each stops at the bad row: nothing before it is held back, it and nothing after it
// is published, digested or folded, and /health names it. The headline case is a row inserted with a
// correctly computed chain hash: only the signature (a key the database never holds) tells it from a real one.
import { randomBytes, randomUUID } from 'node:crypto';
import { DisciplineCases } from '@ledger/application';
import { DigestScheduler, openDigestStore, verifyLedger, type DigestStore } from '@ledger/audit';
import {
  EventSigning,
  hashEvent,
  type IntegrityReason,
  type IntegrityViolation,
  type StoredEvent,
} from '@ledger/event-store';
import {
  DisciplineCaseInitiator,
  KafkaRelay,
  silentLog,
  type CloudEvent,
  type TopicNames,
} from '@ledger/messaging';
import {
  allProjections,
  PostgresDocumentStore,
  ProjectionRunner,
  SqliteDocumentStore,
} from '@ledger/projections';
import {
  createTopics,
  eventually,
  parse,
  requireKafkaBrokers,
  TopicReader,
  uniqueTopics,
} from '../kafka/support/kafka';
import { sql, TEST_DATABASE_URL } from '../support/postgres';
import { startLedger } from '../support/ledger-app';
import { SampleLedger, schools, teachers } from './support/sample-ledger';
import { openTamperable, type BackendName, type ForgedRow, type TamperableLedger } from './support/tamper';

jest.setTimeout(120_000);

interface Running {
  readonly relay: KafkaRelay;
  readonly digester: DigestScheduler;
  readonly readModels: ProjectionRunner;
  readonly initiator: DisciplineCaseInitiator;
  stop(): Promise<void>;
}

const followerNames = ['relay', 'digester', 'readModels', 'initiator'] as const;

describe.each<BackendName>(['postgres', 'sqlite'])('followers meeting tampered rows (%s)', (backend) => {
  const brokers = requireKafkaBrokers();
  let topics: TopicNames;
  let reader: TopicReader;
  let ledger: TamperableLedger;
  let documents: PostgresDocumentStore | SqliteDocumentStore;
  let digests: DigestStore;
  let running: Running | undefined;

  beforeAll(async () => {
    topics = uniqueTopics();
    await createTopics(brokers, topics);
    reader = await TopicReader.start(brokers, [topics.events]);
  });
  afterAll(() => reader?.stop());

  beforeEach(async () => {
    ledger = await openTamperable(backend);
    documents =
      backend === 'postgres'
        ? await PostgresDocumentStore.open({
            connectionString: TEST_DATABASE_URL,
            schema: ledger.where.schema!,
          })
        : await SqliteDocumentStore.open({ dataDir: ledger.where.dataDir! });
    digests = await openDigestStore(ledger.store, { chunkSize: 4 });
    await new SampleLedger(ledger.store).seed(1);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await documents.close();
    await ledger.close();
  });

  function start(): Running {
    const relay = new KafkaRelay(ledger.store, documents.checkpoints, { brokers, topics, log: silentLog });
    const digester = new DigestScheduler(ledger.store, digests, { everyEvents: 1, everySeconds: 0.05 });
    const readModels = new ProjectionRunner(ledger.store, documents, allProjections);
    const cases = new DisciplineCases(ledger.store, { policyVersion: '2025-01' });
    const initiator = new DisciplineCaseInitiator(ledger.store, documents, cases, { log: silentLog });
    const started = Promise.all([relay.start(), digester.start(), readModels.start(), initiator.start()]);
    return {
      relay,
      digester,
      readModels,
      initiator,
      stop: async () => {
        await started;
        await Promise.all([relay.stop(), digester.stop(), readModels.stop(), initiator.stop()]);
      },
    };
  }

  const feed = () => ledger.store.readAll({ after: 0, limit: 10_000 });
  const publishedIds = () => new Set(reader.on(topics.events).map((m) => parse<CloudEvent>(m).id));

  /** The next event of a stream as a forger writes it: the chain hash computed correctly, no valid signature. */
  async function forgedPenalty(
    streamId: string,
    sign?: { signature: string; keyId: string },
  ): Promise<ForgedRow> {
    const stream = await ledger.store.readStream(streamId);
    const model = stream.find((e) => e.type === 'PenaltyRecorded')!;
    const head = stream[stream.length - 1]!;
    const row = {
      id: randomUUID(),
      type: 'PenaltyRecorded',
      data: {
        ...(model.data as object),
        recordId: 'forged-1',
        severity: 'serious',
        fineAmountTenThousandYuan: 50,
      },
      metadata: model.metadata,
      streamId,
      revision: head.revision + 1,
      recordedAt: new Date().toISOString(),
      prevHash: head.hash,
    };
    return { ...row, hash: hashEvent(row), signature: sign?.signature ?? null, keyId: sign?.keyId ?? null };
  }

  async function haltedAt(followers: Running, position: number, reason: IntegrityReason): Promise<void> {
    await eventually(
      () => followerNames.every((name) => followers[name].halted !== undefined),
      30_000,
      'every follower to stop',
    );
    for (const name of followerNames) {
      expect([name, followers[name].halted]).toEqual([
        name,
        expect.objectContaining<Partial<IntegrityViolation>>({ position, reason }),
      ]);
    }
  }

  /** Everything before the bad row reached Kafka, a digest and the read models; the row and all after it none. */
  async function heldBackFrom(followers: Running, bad: StoredEvent | { id: string; position: number }) {
    const before = (await feed()).filter((e) => e.position < bad.position);
    const last = before[before.length - 1]!;
    await followers.relay.waitFor(last.position, 30_000);
    await reader.until(
      (m) => before.every((e) => publishedIds().has(e.id)) && m.length > 0,
      30_000,
      'events',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for anything else to arrive, had it been sent
    expect(publishedIds().has(bad.id)).toBe(false);
    expect(followers.relay.position).toBe(last.position);

    await followers.digester.flush();
    const made = await digests.list();
    expect(made.length).toBeGreaterThan(0);
    expect(Math.max(...made.map((d) => d.upToPosition))).toBe(last.position);

    expect(followers.readModels.position).toBe(last.position);
    expect(followers.initiator.position).toBe(last.position);
  }

  it('stops at a row inserted with SQL and a correct chain hash: never published, digested or folded', async () => {
    running = start();
    const schoolStream = `subject-${schools[0]!.subjectId}`;
    const head = await ledger.store.headPosition();
    await running.relay.waitFor(head, 30_000);
    await running.readModels.waitFor(head, 30_000);
    await running.digester.waitFor(head, 30_000);
    const statusBefore = (await documents.load('subject_credit_status', [schools[0]!.subjectId])).get(
      schools[0]!.subjectId,
    ) as { revision: number };

    const row = await forgedPenalty(schoolStream);
    const position = await ledger.tamper.insert(row);
    // The forged row is a perfect link of its chain: only the signature can tell.
    const stream = await ledger.store.readStream(schoolStream);
    expect(stream[stream.length - 1]).toMatchObject({ id: row.id, position, hash: hashEvent(row) });

    await haltedAt(running, position, 'signature_missing');
    await heldBackFrom(running, { id: row.id, position });
    const status = (await documents.load('subject_credit_status', [schools[0]!.subjectId])).get(
      schools[0]!.subjectId,
    ) as { revision: number };
    expect(status.revision).toBe(statusBefore.revision);
    expect(JSON.stringify(status)).not.toContain('forged-1');

    // Appends the ledger itself makes afterwards are not passed on either: each follower stays stopped.
    await new SampleLedger(ledger.store).honour(schools[1]!.subjectId, 'h-after', '2025-02-10');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const name of followerNames) expect(running[name].halted?.position).toBe(position);
    expect(running.relay.position).toBeLessThan(position);

    const report = await verifyLedger(ledger.store, await digests.list(), { chunkSize: 4 });
    expect(report.failures).toEqual([
      expect.objectContaining({ reason: 'signature_missing', position, streamId: schoolStream }),
    ]);
  });

  type Tampering = {
    readonly name: string;
    readonly reason: IntegrityReason;
    /** Tampers before the followers start (they meet it in the backlog); gives the first bad row. */
    apply(events: readonly StoredEvent[]): Promise<{ id: string; position: number }>;
  };

  const tamperings: readonly Tampering[] = [
    {
      name: 'an edited row',
      reason: 'hash_mismatch',
      apply: async (events) => {
        const target = events.filter((e) => e.type === 'PenaltyRecorded')[1]!;
        await ledger.tamper.setData(target.position, {
          ...(target.data as object),
          facts: 'nothing happened',
        });
        return target;
      },
    },
    {
      name: 'a forged row with a wrong hash',
      reason: 'hash_mismatch',
      apply: async () => {
        const row = { ...(await forgedPenalty(`subject-${teachers[0]!.subjectId}`)), hash: 'ab'.repeat(32) };
        return { id: row.id, position: await ledger.tamper.insert(row) };
      },
    },
    {
      name: 'a forged row with a correct chain hash and a made-up signature',
      reason: 'signature_mismatch',
      apply: async () => {
        const row = await forgedPenalty(`subject-${teachers[0]!.subjectId}`, {
          signature: randomBytes(32).toString('hex'),
          keyId: 'dev',
        });
        return { id: row.id, position: await ledger.tamper.insert(row) };
      },
    },
    {
      name: 'a forged row signed with a key the ledger does not hold',
      reason: 'signature_unknown_key',
      apply: async () => {
        const unsigned = await forgedPenalty(`subject-${teachers[0]!.subjectId}`);
        const own = new EventSigning({ keys: new Map([['mine', randomBytes(32)]]), signingKeyId: 'mine' });
        const row = { ...unsigned, ...own.sign(unsigned.hash) };
        return { id: row.id, position: await ledger.tamper.insert(row) };
      },
    },
    {
      name: 'two events of one stream swapped (reordered within the stream)',
      reason: 'revision_gap',
      apply: async (events) => {
        const stream = events.filter((e) => e.streamId === `subject-${schools[0]!.subjectId}`);
        await ledger.tamper.swapPositions(stream[1]!.position, stream[2]!.position);
        const [moved] = await ledger.store.readAll({ after: stream[1]!.position - 1, limit: 1 });
        return moved!;
      },
    },
    {
      name: 'an event removed from inside a stream',
      reason: 'revision_gap',
      apply: async (events) => {
        const stream = events.filter((e) => e.streamId === `subject-${schools[0]!.subjectId}`);
        await ledger.tamper.remove(stream[1]!.position);
        return stream[2]!;
      },
    },
  ];

  it.each(tamperings.map((t) => [t.name, t] as const))(
    'stops at %s met in the backlog, passing on everything before it',
    async (_name, tampering) => {
      const bad = await tampering.apply(await feed());
      running = start();
      await haltedAt(running, bad.position, tampering.reason);
      await heldBackFrom(running, bad);
    },
  );
});

describe('the running ledger reports a follower stopped by a forged row on /health (postgres)', () => {
  it('names each follower, the position and the reason, and stays up', async () => {
    const api = await startLedger('postgres', { digestEverySeconds: 0.1, digestEveryEvents: 1 });
    try {
      const subjectId = await api.register('private_school', '厦门阳光实验学校', '91350200776049653A');
      const schema = api.config.databaseSchema;
      const [head] = await sql<{ revision: number; hash: string; data: object; metadata: unknown }>(
        `SELECT revision, hash, data, metadata FROM ${schema}.events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1`,
        [`subject-${subjectId}`],
      );
      const row = {
        id: randomUUID(),
        type: 'SubjectRegistered',
        data: { ...head!.data, name: '别的学校' },
        metadata: head!.metadata as StoredEvent['metadata'],
        streamId: `subject-${subjectId}`,
        revision: head!.revision + 1,
        recordedAt: new Date().toISOString(),
        prevHash: head!.hash,
      };
      const [{ position }] = (await sql<{ position: string }>(
        `INSERT INTO ${schema}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES (nextval('${schema}.events_position_seq'), pg_current_xact_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING position`,
        [
          row.streamId,
          row.revision,
          row.id,
          row.type,
          JSON.stringify(row.data),
          JSON.stringify(row.metadata),
          row.recordedAt,
          row.prevHash,
          hashEvent(row),
        ],
      )) as [{ position: string }];

      let health: Awaited<ReturnType<typeof api.request>> | undefined;
      await eventually(
        async () => {
          health = await api.request('GET', '/health', undefined, {}, '');
          return health.body?.integrity?.halted?.length === 4;
        },
        30_000,
        'four followers reported stopped',
      );
      expect(health!.status).toBe(200);
      expect(health!.body.status).toBe('ok');
      expect(health!.body.integrity.status).toBe('halted');
      expect(health!.body.integrity.halted.map((h: { follower: string }) => h.follower).sort()).toEqual([
        'case-initiator',
        'digester',
        'list-history',
        'read-models',
      ]);
      for (const halted of health!.body.integrity.halted)
        expect(halted).toMatchObject({
          position: Number(position),
          reason: 'signature_missing',
          eventId: row.id,
        });
      // The read model never took the rename in.
      const status = await api.request('GET', `/api/v1/subjects/${subjectId}`);
      expect(status.status).toBe(200);
      expect(JSON.stringify(status.body)).not.toContain('别的学校');
    } finally {
      await api.stop();
    }
  });
});
