// The contract for consumers (docs/asyncapi.yaml) checked against what the ledger really publishes: a
// flow through every topic, then every message read back is validated against the document's schemas
// for its channel (payload, headers, key), and the document's examples against the same schemas and
// against real messages (a digest example with other fields than a real digest fails). What the document
// says is left out (access-log events) or kept apart (restricted records) is checked on the topics too.
// The document is JSON-compatible YAML, so JSON.parse reads it.
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { DisciplineCases } from '@ledger/application';
import { WorkingCalendars } from '@ledger/application';
import { computeDigest, logPersonalRecordView, openDigestStore } from '@ledger/audit';
import { illustrative2027, illustrative2027Notice } from '@ledger/domain/calendar/testing/calendar-fixtures';
import {
  defaultTopicNames,
  DigestPublisher,
  feedbackTopicOf,
  KafkaRelay,
  silentLog,
  parseFeedback,
  type CloudEvent,
  type TopicNames,
} from '@ledger/messaging';
import {
  departmentResponse,
  eventually,
  parse,
  requireKafkaBrokers,
  TopicReader,
  type ReadMessage,
} from './support/kafka';
import { penalise, registerPerson, registerSchool, revoke, type TestLedger } from './support/ledger';
import { startMessagingRig, type MessagingRig } from './support/messaging-rig';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;
const DOC_ID = 'asyncapi.json';
/** The channel of the departments' feedback topics, one per department. */
const DEPARTMENT_FEEDBACK = 'credit.discipline.feedback.v1.{departmentId}';
const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'asyncapi.yaml'), 'utf8')) as Json;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
ajv.addSchema(doc, DOC_ID);

function resolve(pointer: string): Json {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json>((node, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, doc);
}
const deref = (node: Json): Json => (typeof node.$ref === 'string' ? deref(resolve(node.$ref)) : node);

interface MessageContract {
  payload: ValidateFunction;
  headers?: ValidateFunction;
  key?: ValidateFunction;
  json: boolean;
}

function contractOf(address: string): MessageContract {
  const channel = Object.values(doc.channels as Record<string, Json>).find((c) => c.address === address);
  if (!channel) throw new Error(`docs/asyncapi.yaml documents no channel ${address}`);
  const [message] = Object.values(channel.messages as Record<string, Json>).map(deref);
  const bindings = (message!.bindings as { kafka?: { key?: Json } } | undefined)?.kafka;
  return {
    payload: compile(message!.payload as Json),
    headers: message!.headers ? compile(message!.headers as Json) : undefined,
    key: bindings?.key ? compile(bindings.key) : undefined,
    json: message!.contentType !== 'application/octet-stream',
  };
}

function compile(schema: Json): ValidateFunction {
  if (typeof schema.$ref === 'string' && Object.keys(schema).length === 1)
    return ajv.getSchema(`${DOC_ID}${schema.$ref}`)!;
  // An inline schema's refs point into the document: make them say so.
  return ajv.compile(absoluteRefs(schema) as Json);
}

function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? `${DOC_ID}${value}`
        : absoluteRefs(value),
    ]),
  );
}

const errorsOf = (validate: ValidateFunction) => ajv.errorsText(validate.errors, { separator: '\n' });

describe('docs/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0 document of every topic', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    const addresses = Object.values(doc.channels as Record<string, Json>).map((c) => c.address);
    expect(addresses.sort()).toEqual([...Object.values(defaultTopicNames), DEPARTMENT_FEEDBACK].sort());
    expect(feedbackTopicOf(defaultTopicNames, 'finance')).toBe(
      DEPARTMENT_FEEDBACK.replace('{departmentId}', 'finance'),
    );
    // The secure server says what the ledger's settings accept (libs/runtime/src/config/kafka-security.ts).
    const servers = doc.servers as Record<string, Json>;
    expect(servers.province).toMatchObject({ protocol: 'kafka-secure' });
    const scheme = deref((servers.province!.security as Json[])[0]!);
    expect(scheme.type).toBe('scramSha512');
    for (const operation of Object.values(doc.operations as Record<string, Json>)) {
      expect(resolve((operation.channel as Json).$ref as string)).toBeDefined();
    }
  });

  it('gives examples that its schemas and the consumer both accept', () => {
    const feedback = contractOf(DEPARTMENT_FEEDBACK);
    const examples = deref(resolve('#/components/messages/DisciplineFeedback')).examples as Array<{
      payload: Json;
    }>;
    for (const { payload } of examples) {
      expect(feedback.payload(payload) || errorsOf(feedback.payload)).toBe(true);
      expect(parseFeedback(Buffer.from(JSON.stringify(payload)))).toMatchObject({ ok: true });
    }
    const digest = contractOf(defaultTopicNames.digests);
    const [example] = deref(resolve('#/components/messages/LedgerDigest')).examples as Array<{
      payload: Json;
    }>;
    expect(digest.payload(example!.payload) || errorsOf(digest.payload)).toBe(true);
  });
});

describe('what the ledger publishes, against docs/asyncapi.yaml', () => {
  const brokers = requireKafkaBrokers();
  let rig: MessagingRig;
  let ledger: TestLedger;
  let topics: TopicNames;
  let reader: TopicReader;
  let cases: DisciplineCases;
  let relay: KafkaRelay;
  let producer: Producer;

  beforeAll(async () => {
    rig = await startMessagingRig(brokers, (t) => [
      t.events,
      t.lists,
      t.disciplineRequests,
      t.disciplineFeedbackDeadLetters,
      t.restrictedEvents,
      t.restrictedLists,
      t.restrictedDisciplineRequests,
      t.digests,
    ]);
    ({ ledger, topics, reader, cases, relay, producer } = rig);
  });

  afterAll(() => rig?.stop());

  const sent: Json[] = [];
  const send = async (caseId: string, value: Json | string) => {
    if (typeof value !== 'string') sent.push(value);
    const departmentId = typeof value === 'string' ? 'finance' : (value.departmentId as string);
    await producer.send({
      topic: feedbackTopicOf(topics, departmentId),
      messages: [
        {
          key: caseId,
          value: typeof value === 'string' ? value : JSON.stringify(value),
          headers: { 'correlation-id': randomUUID() },
        },
      ],
    });
  };

  async function caseOf(subjectId: string, topic = topics.disciplineRequests): Promise<CloudEvent> {
    await reader.until(
      (m) => m.some((x) => x.topic === topic && parse<CloudEvent>(x).subject === subjectId),
      30_000,
      'a case',
    );
    return parse<CloudEvent>(reader.on(topic).find((x) => parse<CloudEvent>(x).subject === subjectId)!);
  }

  it('publishes only messages the document describes, on every topic', async () => {
    // A school on the black list, its case answered in full; a teacher; a student (restricted) on the
    // black list; a second school that leaves the list again (tombstone, lifted case); bad feedback.
    const school = await registerSchool(ledger.commands);
    await penalise(ledger.commands, school, { legalRepresentativeId: '350203198506151233' });
    const teacher = await registerPerson(ledger.commands, 'teacher', '350203198506151233');
    // An access-log event: stored in the feed, never published.
    const viewed = await logPersonalRecordView(ledger.store, {
      subjectId: teacher,
      viewer: { userId: 'auditor-1', role: 'auditor', department: 'audit', jurisdiction: '350200' },
      reason: 'annual audit',
      resource: 'credit-status',
    });
    const student = await registerPerson(ledger.commands, 'student', '350203201005014569');
    await penalise(ledger.commands, student);
    const other = await registerSchool(ledger.commands);
    await revoke(ledger.commands, other, await penalise(ledger.commands, other));
    // The working calendar (an illustrative 2027, published and amended): events about no subject.
    const calendars = await WorkingCalendars.open(ledger.store);
    const admin = { userId: 'admin-1', role: 'admin', department: 'ministry', jurisdiction: '000000' };
    const byAdmin = { now: '2026-12-07T02:00:00Z', actor: admin, correlationId: randomUUID() };
    await calendars.execute(
      { type: 'PublishCalendarYear', data: { ...illustrative2027, notice: illustrative2027Notice } },
      byAdmin,
    );
    await calendars.execute(
      {
        type: 'AmendCalendarYear',
        data: {
          ...illustrative2027,
          holidays: [...illustrative2027.holidays, '2027-01-04'],
          notice: { documentNumber: '国办发明电〔2026〕100号', title: '示例', publishedOn: '2026-12-01' },
        },
      },
      byAdmin,
    );

    const caseId = (await caseOf(school)).caseid!;
    const at = new Date().toISOString();
    await send(caseId, departmentResponse(caseId, 'finance', 'accepted', { at }));
    await send(caseId, departmentResponse(caseId, 'education-personnel', 'applied', { at }));
    await send(
      caseId,
      departmentResponse(caseId, 'education-supervision', 'not_applicable', {
        reason: 'Already monitored',
        at,
      }),
    );
    await send(caseId, {
      messageId: randomUUID(),
      caseId,
      departmentId: 'finance',
      kind: 'execution',
      measuresApplied: ['no_project_funding'],
      executedOn: at.slice(0, 10),
      at,
    });
    await send(caseId, '{ not json');
    await send(randomUUID(), departmentResponse(randomUUID(), 'finance', 'accepted', { at }));
    await eventually(
      async () => (await cases.status(caseId))?.status === 'closed',
      30_000,
      'the case to close',
    );
    expect((await caseOf(student, topics.restrictedDisciplineRequests)).restricted).toBe(true);

    await reader.until(
      (m) => m.filter((x) => x.topic === topics.disciplineFeedbackDeadLetters).length >= 2,
      30_000,
      'two dead letters',
    );
    const head = await ledger.store.headPosition();
    await relay.waitFor(head, 30_000);
    // Every stored event but the one access-log event, once, on the events topic or its restricted twin.
    const published = () => [...reader.on(topics.events), ...reader.on(topics.restrictedEvents)];
    await reader.until(() => published().length >= head - 1, 30_000, 'every event');
    const ids = published().map((m) => parse<CloudEvent>(m).id);
    expect(new Set(ids).size).toBe(head - 1);
    expect(ids).not.toContain(viewed.eventId);
    // Restricted records only on the restricted topics, and everything there is restricted.
    for (const [ordinary, restricted] of [
      [topics.events, topics.restrictedEvents],
      [topics.lists, topics.restrictedLists],
      [topics.disciplineRequests, topics.restrictedDisciplineRequests],
    ] as const) {
      const flags = (topic: string) =>
        reader.on(topic).map((m) => (m.value === null ? 'tombstone' : parse(m).restricted));
      expect(flags(ordinary)).not.toContain(true);
      expect(flags(restricted).length).toBeGreaterThan(0);
      expect(flags(restricted).every((flag) => flag === true)).toBe(true);
    }
    expect(reader.messages.some((m) => m.value?.includes(student) && !m.topic.includes('restricted'))).toBe(
      false,
    );

    // A real digest of the feed, published as the ledger publishes it.
    const digests = await openDigestStore(ledger.store);
    const digest = (await computeDigest(ledger.store, digests))!;
    const digestPublisher = new DigestPublisher(digests, ledger.checkpoints, {
      brokers,
      topics,
      log: silentLog,
    });
    await digestPublisher.start();
    await digestPublisher.waitFor(digest.upToPosition, 30_000).finally(() => digestPublisher.stop());
    await reader.until((m) => m.some((x) => x.topic === topics.digests), 30_000, 'the digest');
    const [realDigest] = reader.on(topics.digests).map((m) => parse(m));
    expect(realDigest).toMatchObject({ upToPosition: head, eventCount: head });
    // The document's example has the fields of a real digest, no more, no fewer, and its algorithm.
    const [digestExample] = deref(resolve('#/components/messages/LedgerDigest')).examples as Array<{
      payload: Json;
    }>;
    expect(Object.keys(digestExample!.payload).sort()).toEqual(Object.keys(realDigest!).sort());
    expect(digestExample!.payload.algorithm).toBe(realDigest!.algorithm);
    await reader.until(
      (m) =>
        m.some(
          (x) =>
            x.topic === topics.disciplineRequests &&
            parse<CloudEvent>(x).type.endsWith('case.closed.v1') &&
            x.key === caseId,
        ),
      30_000,
      'the closure',
    );

    const addressOf = (topic: string) =>
      Object.entries(topics).find(([, name]) => name === topic)![0] as keyof TopicNames;
    const checked = new Map<string, number>();
    for (const message of reader.messages) {
      const address = defaultTopicNames[addressOf(message.topic)];
      const contract = contractOf(address);
      const payload = contract.json && message.value !== null ? JSON.parse(message.value) : message.value;
      expectValid(contract.payload, payload, message);
      if (contract.headers) expectValid(contract.headers, message.headers, message);
      if (contract.key) expectValid(contract.key, message.key, message);
      checked.set(address, (checked.get(address) ?? 0) + 1);
    }
    expect([...checked.keys()].sort()).toEqual(
      [
        defaultTopicNames.events,
        defaultTopicNames.lists,
        defaultTopicNames.disciplineRequests,
        defaultTopicNames.disciplineFeedbackDeadLetters,
        defaultTopicNames.restrictedEvents,
        defaultTopicNames.restrictedLists,
        defaultTopicNames.restrictedDisciplineRequests,
        defaultTopicNames.digests,
      ].sort(),
    );

    // What departments send is what the document asks of them.
    const feedbackContract = contractOf(DEPARTMENT_FEEDBACK);
    for (const message of sent)
      expect(feedbackContract.payload(message) || errorsOf(feedbackContract.payload)).toBe(true);
    // And a message the consumer refuses, the schema refuses too.
    const wrong = { messageId: 'x', caseId: 'c', departmentId: 'd', kind: 'respond', at: 'yesterday' };
    expect(feedbackContract.payload(wrong)).toBe(false);
    expect(parseFeedback(Buffer.from(JSON.stringify(wrong)))).toMatchObject({ ok: false });

    // The documented data shapes were really exercised.
    const types = new Set(published().map((m) => parse<CloudEvent>(m).type));
    for (const type of [
      'subject.registered',
      'penalty.recorded',
      'list.membership.changed',
      'discipline.case.opened',
      'discipline.department.responded',
      'discipline.execution.fed.back',
      'discipline.case.closed',
      'calendar.year.published',
      'calendar.year.amended',
    ]) {
      expect(types).toContain(`cn.edu.credit.${type}.v1`);
    }
    const calendarMessages = reader
      .on(topics.events)
      .filter((m) => parse<CloudEvent>(m).streamid === 'calendar-china');
    expect(calendarMessages.map((m) => [m.key, parse<CloudEvent>(m).subject])).toEqual([
      ['calendar-china', 'calendar-china'],
      ['calendar-china', 'calendar-china'],
    ]);
  });
});

function expectValid(validate: ValidateFunction, value: unknown, message: ReadMessage): void {
  if (!validate(value)) {
    throw new Error(
      `${message.topic} offset ${message.offset} breaks docs/asyncapi.yaml:\n${errorsOf(validate)}\n${message.value}`,
    );
  }
}
