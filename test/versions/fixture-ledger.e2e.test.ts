// The frozen fixture ledger (test/fixtures/ledger-2026-12: 280 events of 12 subjects, all schema version 1,
// exported with ledger-cli export before any event shape changed) read by today's code: imported row for row
// into a real PostgreSQL store, it verifies over its stored bytes, the read models rebuilt from zero equal the
// live-folded ones, and the relay publishes it to a real Kafka topic in the current versions. Then an event of
// a version this release does not know (a newer release during a rolling upgrade) stops the read models and
// the relay at its position, with the reason in their halt (what /health shows), never a skip.
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyLedger } from '@ledger/audit';
import { currentSchemaVersion, type SubjectEvent } from '@ledger/domain';
import { EventSigning, PostgresEventStore, hashEvent, type StoredEvent } from '@ledger/event-store';
import { KafkaRelay, silentLog, type CloudEvent, type TopicNames } from '@ledger/messaging';
import {
  allProjections,
  physicalName,
  PostgresDocumentStore,
  ProjectionRunner,
  rebuildProjections,
  type DocumentStore,
} from '@ledger/projections';
import {
  createTopics,
  eventually,
  parse,
  requireKafkaBrokers,
  TopicReader,
  uniqueTopics,
} from '../kafka/support/kafka';
import { dropSchema, requirePostgres, sql, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres';

jest.setTimeout(180_000);

const FIXTURE = join(__dirname, '..', 'fixtures', 'ledger-2026-12');
/** The fixture as committed: it is never regenerated; a changed byte fails here. */
const FIXTURE_SHA256 = '3c43ea6a1e84fb75a4bd7c448e9c0c09f8c522ffdb64ad577a01e244cd83befe';

const files = readdirSync(FIXTURE)
  .filter((name) => name.endsWith('.ndjson'))
  .sort();
const fixtureEvents: StoredEvent[] = files
  .flatMap((name) => readFileSync(join(FIXTURE, name), 'utf8').split('\n').filter(Boolean))
  .map((line) => JSON.parse(line) as { kind: string; event?: StoredEvent })
  .flatMap((line) => (line.kind === 'event' ? [line.event!] : []))
  .sort((a, b) => a.position - b.position);

async function everything(documents: DocumentStore, name: string): Promise<Map<string, unknown>> {
  const { items } = await documents.query(name, { limit: 100_000, offset: 0 });
  return new Map(items.map((item) => [item.id, item.doc]));
}

/** Writes the exported rows as they are (positions, record times, hashes, signatures), as a restore would. */
async function importFixture(schema: string, events: readonly StoredEvent[]): Promise<void> {
  for (const e of events) {
    await sql(
      `INSERT INTO ${schema}.events (position, tx_id, stream_id, revision, id, type, data, metadata,
         recorded_at, prev_hash, hash, signature, key_id)
       VALUES ($1, pg_current_xact_id(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        e.position,
        e.streamId,
        e.revision,
        e.id,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        e.recordedAt,
        e.prevHash,
        e.hash,
        e.signature ?? null,
        e.keyId ?? null,
      ],
    );
  }
  await sql(`SELECT setval('${schema}.events_position_seq', $1)`, [events[events.length - 1]!.position]);
}

describe('the frozen fixture ledger of 2026-12 (schema version 1) read by the current code', () => {
  const brokers = requireKafkaBrokers();
  const schema = uniqueSchema('fixture');
  let store: PostgresEventStore;
  let live: PostgresDocumentStore;
  let rebuilt: PostgresDocumentStore;
  let runner: ProjectionRunner;
  let relay: KafkaRelay;
  let reader: TopicReader;
  let topics: TopicNames;
  const head = () => fixtureEvents[fixtureEvents.length - 1]!.position;

  beforeAll(async () => {
    await requirePostgres();
    store = await PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    live = await PostgresDocumentStore.open({ connectionString: TEST_DATABASE_URL, schema });
    rebuilt = await PostgresDocumentStore.open({
      connectionString: TEST_DATABASE_URL,
      schema: `${schema}_rb`,
    });
    await importFixture(schema, fixtureEvents);
    topics = uniqueTopics();
    await createTopics(brokers, topics);
    reader = await TopicReader.start(brokers, [topics.events, topics.restrictedEvents]);
  });

  afterAll(async () => {
    await relay?.stop();
    await runner?.stop();
    await reader?.stop();
    await rebuilt?.close();
    await live?.close();
    await store?.close();
    await dropSchema(schema);
    await dropSchema(`${schema}_rb`);
  });

  it('is byte for byte the fixture that was committed, 280 events all of version 1', () => {
    const all = files.map((name) => readFileSync(join(FIXTURE, name)));
    expect(createHash('sha256').update(Buffer.concat(all)).digest('hex')).toBe(FIXTURE_SHA256);
    const sums = readFileSync(join(FIXTURE, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.map((line) => line.split(/\s+/)[1]).sort()).toEqual(files);
    for (const line of sums) {
      const [sum, name] = line.split(/\s+/);
      expect(
        createHash('sha256')
          .update(readFileSync(join(FIXTURE, name!)))
          .digest('hex'),
      ).toBe(sum);
    }
    expect(fixtureEvents).toHaveLength(280);
    expect(new Set(fixtureEvents.map((e) => e.metadata.schemaVersion))).toEqual(new Set([1]));
    // The shape that changed since is in it, in its old form.
    const resolved = fixtureEvents.filter((e) => e.type === 'ObjectionResolved');
    expect(resolved.length).toBeGreaterThan(10);
    expect(resolved.every((e) => 'outcome' in (e.data as object))).toBe(true);
    expect(currentSchemaVersion('ObjectionResolved')).toBeGreaterThan(1);
  });

  it('verifies over the stored bytes: every hash, chain link and signature, as imported', async () => {
    const stored = await store.readAll({ after: 0, limit: 1000 });
    expect(stored.map((e) => e.hash)).toEqual(fixtureEvents.map((e) => e.hash));
    expect(stored.every((e) => hashEvent(e) === e.hash)).toBe(true);
    const report = await verifyLedger(store, [], { signing: EventSigning.development() });
    expect(report).toMatchObject({ ok: true, events: 280 });
  });

  it('folds live into the read models, and a rebuild from zero gives the same documents', async () => {
    runner = new ProjectionRunner(store, live, allProjections, { signing: EventSigning.development() });
    await runner.start();
    await runner.waitFor(head(), 60_000);
    expect(runner.halted).toBeUndefined();
    const report = await rebuildProjections(store, rebuilt, allProjections, { switchMode: 'now' });
    expect(report.switched).toBe(true);
    let documents = 0;
    for (const projection of allProjections) {
      const folded = await everything(live, projection.name);
      const fromZero = await everything(rebuilt, physicalName(projection.name, 1));
      expect({ name: projection.name, docs: fromZero }).toEqual({ name: projection.name, docs: folded });
      documents += folded.size;
    }
    expect(documents).toBeGreaterThan(12);
  });

  it('publishes every event to Kafka in its current version, old ObjectionResolved as v3 only', async () => {
    relay = new KafkaRelay(store, live.checkpoints, { brokers, topics, log: silentLog });
    await relay.start();
    await relay.waitFor(head(), 60_000);
    const events = () =>
      reader.messages.filter((m) => m.topic === topics.events || m.topic === topics.restrictedEvents);
    await reader.until(
      (m) => new Set(m.map((x) => parse<CloudEvent>(x).id)).size >= 280,
      30_000,
      'the fixture',
    );
    const published = events().map((m) => parse<CloudEvent>(m));
    for (const message of published) {
      const version = currentSchemaVersion(message.dataschema.split(':')[4]!);
      expect(message.dataschema).toMatch(/^urn:cn-edu-credit:ledger:schema:[A-Za-z]+:v\d+$/);
      expect(message.schemaversion).toBe(version);
      expect(message.type.endsWith(`.v${version}`)).toBe(true);
    }
    const resolved = published.filter((m) => m.dataschema.includes(':ObjectionResolved:'));
    expect(resolved).toHaveLength(fixtureEvents.filter((e) => e.type === 'ObjectionResolved').length);
    for (const message of resolved) {
      expect(message).toMatchObject({
        type: 'cn.edu.credit.objection.resolved.v3',
        dataschema: 'urn:cn-edu-credit:ledger:schema:ObjectionResolved:v3',
        schemaversion: 3,
      });
      expect(message.data).toHaveProperty('recordOutcome');
      expect(message.data).not.toHaveProperty('outcome');
      expect(message.data).not.toHaveProperty('decisionDueBy'); // v1 never held it: nothing invented
    }
    // Every message validates against the contract's schema for its type and version (v3: no `outcome`).
    const doc = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'docs', 'asyncapi.yaml'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    ajv.addSchema(doc, 'asyncapi.json');
    const creditEvent = ajv.getSchema('asyncapi.json#/components/schemas/CreditEvent')!;
    for (const message of published)
      expect({ ok: creditEvent(message), errors: creditEvent.errors }).toMatchObject({ ok: true });
    const v1 = ajv.getSchema('asyncapi.json#/components/schemas/ObjectionResolvedDataV1')!;
    expect(v1(resolved[0]!.data)).toBe(false);
    // No compatibility window (docs/asyncapi.yaml): no message in an older version of the type.
    expect(published.some((m) => /objection\.resolved\.v[12]$/.test(m.type))).toBe(false);
    expect(relay.halted).toBeUndefined();
  });

  it('stops the read models and the relay at an event of a version it does not know, and says why', async () => {
    const subject = fixtureEvents.find((e) => e.type === 'ObjectionResolved')!;
    const future: SubjectEvent['type'] = 'ObjectionResolved';
    const { position } = await store.append(subject.streamId, [
      {
        id: '01a25200-0000-7000-8000-00000000f001',
        type: future,
        data: { ...(subject.data as object), resolution: { by: 'a newer release' } },
        metadata: { occurredAt: new Date().toISOString(), schemaVersion: 9 },
      },
    ]);
    // Appended after it: not to be passed either (the follower stops, it does not skip).
    const after = await store.append('subject-after-the-future-event', [
      {
        id: '01a25200-0000-7000-8000-00000000f002',
        type: 'SomethingNoted',
        data: {},
        metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
      },
    ]);
    await eventually(() => runner.halted !== undefined && relay.halted !== undefined, 30_000, 'the halts');
    for (const halted of [runner.halted!, relay.halted!]) {
      expect(halted).toMatchObject({
        reason: 'unknown_schema_version',
        position,
        streamId: subject.streamId,
        eventId: '01a25200-0000-7000-8000-00000000f001',
      });
      expect(halted.message).toContain('ObjectionResolved version 9 is unknown to this release');
    }
    expect(runner.position).toBe(head());
    expect(relay.position).toBe(head());
    expect(relay.health).toMatchObject({ state: 'halted' });
    expect(after.position).toBeGreaterThan(position);
    expect((await live.checkpoint(allProjections[0]!.name))?.position).toBe(head());
    // Still stopped a while later: no retry loop moves it on or past.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(runner.position).toBe(head());
    expect(relay.position).toBe(head());
    // And the stored bytes of the future event still verify: versions are not the verifier's business.
    expect((await verifyLedger(store, [], { signing: EventSigning.development() })).ok).toBe(true);
  });
});
