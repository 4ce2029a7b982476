// Store → Kafka: every event appended becomes a CloudEvent on credit.events.v1 with the right key, type
// and data; list entries and exits land on the compacted lists topic. Against both store adapters.
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/event-store';
import { KafkaRelay, silentLog, type CloudEvent, type TopicNames } from '@ledger/messaging';
import { createTopics, parse, requireKafkaBrokers, TopicReader, uniqueTopics } from './support/kafka';
import {
  penalise,
  postgresLedger,
  registerPerson,
  registerSchool,
  revoke,
  sqliteLedger,
  type TestLedger,
} from './support/ledger';

jest.setTimeout(120_000);

const TEACHER_ID_NUMBER = '350203198506151233';

describe.each([
  ['the embedded SQLite store', sqliteLedger],
  ['PostgreSQL', postgresLedger],
])('the relay over %s', (_name, openLedger) => {
  const brokers = requireKafkaBrokers();
  let ledger: TestLedger;
  let topics: TopicNames;
  let reader: TopicReader;
  let relay: KafkaRelay | undefined;

  beforeAll(async () => {
    ledger = await openLedger();
    topics = uniqueTopics();
    await createTopics(brokers, topics);
    reader = await TopicReader.start(brokers, [topics.events, topics.lists]);
  });

  afterAll(async () => {
    await relay?.stop();
    await reader?.stop();
    await ledger?.dispose();
  });

  it('publishes the backlog written before it started, then what is appended live', async () => {
    // Embedded mode first: commands succeed with no relay at all.
    const school = await registerSchool(ledger.commands);
    const backlog = await ledger.store.headPosition();

    relay = new KafkaRelay(ledger.store, ledger.checkpoints, { brokers, topics, log: silentLog });
    await relay.start();
    await relay.waitFor(backlog, 30_000);

    const teacher = await registerPerson(ledger.commands, 'teacher', TEACHER_ID_NUMBER);
    const recordId = await penalise(ledger.commands, school, { legalRepresentativeId: TEACHER_ID_NUMBER });
    await revoke(ledger.commands, school, recordId);
    const head = await ledger.store.headPosition();
    await relay.waitFor(head, 30_000);

    const stored = await ledger.store.readAll({ after: 0, limit: 1000 });
    await reader.until(
      (m) => m.filter((x) => x.topic === topics.events).length >= stored.length,
      30_000,
      'all events',
    );
    const published = reader.on(topics.events);
    expect(published.map((m) => parse<CloudEvent>(m).id).sort()).toEqual(stored.map((e) => e.id).sort());

    for (const event of stored) {
      const message = published.find((m) => parse<CloudEvent>(m).id === event.id)!;
      const cloudEvent = parse<CloudEvent>(message);
      const subjectId = (event.data as { subjectId: string }).subjectId;
      expect(message.key).toBe(subjectId);
      expect(message.headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
      expect(cloudEvent).toMatchObject({
        specversion: '1.0',
        source: 'urn:cn-edu-credit:ledger',
        subject: subjectId,
        time: event.recordedAt,
        streamid: event.streamId,
        revision: event.revision,
        position: event.position,
        occurredat: event.metadata.occurredAt,
        correlationid: event.metadata.correlationId,
        policyversion: '2025-01',
        restricted: false,
      });
      expect(cloudEvent.type).toMatch(/^cn\.edu\.credit\.[a-z.]+\.v1$/);
    }
    const penalty = parse<CloudEvent>(
      published.find((m) => parse<CloudEvent>(m).type === 'cn.edu.credit.penalty.recorded.v1')!,
    );
    expect(penalty.data).toMatchObject({
      subjectId: school,
      recordId,
      penalty: { legalRepresentative: { idNumber: '350203********1233' } },
    });

    // Natural persons' ID numbers never leave the ledger.
    expect(published.some((m) => m.value!.includes(TEACHER_ID_NUMBER))).toBe(false);
    expect(published.some((m) => m.value!.includes('1985-06-15'))).toBe(false);
    const registered = published.find(
      (m) => m.key === teacher && parse<CloudEvent>(m).type === 'cn.edu.credit.subject.registered.v1',
    )!;
    expect(parse<CloudEvent>(registered).data).toMatchObject({
      identifier: { scheme: 'resident_id', value: '350203********1233' },
    });

    // Entering and leaving the black list: the membership, then its tombstone, under one key.
    await reader.until(
      (m) => m.filter((x) => x.topic === topics.lists && x.key === `black:${school}`).length >= 2,
    );
    const memberships = reader.on(topics.lists).filter((m) => m.key === `black:${school}`);
    expect(parse(memberships[0]!)).toMatchObject({
      list: 'black',
      subjectId: school,
      reasons: [{ recordId }],
    });
    expect(memberships[memberships.length - 1]!.value).toBeNull();

    // The checkpoint moved with the acknowledgements only.
    expect((await ledger.documents.checkpoint('relay'))?.position).toBe(head);
  });

  it('publishes one subject’s backlog larger than the broker’s batch limit', async () => {
    // 1,500 events of ~2 KB on one key: a 1,000-event batch is 2 MB for one partition (limit 1 MiB).
    const subjectId = randomUUID();
    const filler = '违规办学情况说明'.repeat(80);
    for (let i = 0; i < 3; i++) {
      const events: NewEvent[] = Array.from({ length: 500 }, (_, n) => ({
        id: randomUUID(),
        type: 'SomethingRecorded',
        data: { subjectId, n: i * 500 + n, filler },
        metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
      }));
      await ledger.store.append(`subject-${subjectId}`, events);
    }
    await relay!.waitFor(await ledger.store.headPosition(), 60_000);
    await reader.until(
      (m) => m.filter((x) => x.key === subjectId).length >= 1500,
      30_000,
      'the large backlog',
    );
    expect(
      reader
        .on(topics.events)
        .filter((m) => m.key === subjectId)
        .map((m) => parse<CloudEvent>(m).revision),
    ).toEqual(Array.from({ length: 1500 }, (_, n) => n));
  });
});
