// Initiation, response and feedback (发起、响应、反馈) over the real broker: a subject put on the black list
// → a case on the requests topic → departments' feedback, each on its own feedback topic → the case's
// status; malformed or unknown feedback, or a body answering for another department than the topic's →
// the dead-letter topic with the reason; a duplicate → no new events.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { DisciplineCases } from '@ledger/application';
import {
  DisciplineCaseInitiator,
  FeedbackConsumer,
  feedbackTopicOf,
  silentLog,
  type CloudEvent,
  type TopicNames,
} from '@ledger/messaging';
import { toCaseStreamId, type CaseOpened } from '@ledger/domain';
import { departmentResponse, eventually, parse, requireKafkaBrokers, TopicReader } from './support/kafka';
import { penalise, registerSchool, revoke, type TestLedger } from './support/ledger';
import { startMessagingRig, type MessagingRig } from './support/messaging-rig';

jest.setTimeout(120_000);

describe('joint reward and punishment over Kafka', () => {
  const brokers = requireKafkaBrokers();
  let rig: MessagingRig;
  let ledger: TestLedger;
  let topics: TopicNames;
  let reader: TopicReader;
  let cases: DisciplineCases;
  let feedback: FeedbackConsumer;
  let producer: Producer;

  beforeAll(async () => {
    rig = await startMessagingRig(brokers, (t) => [t.disciplineRequests, t.disciplineFeedbackDeadLetters]);
    ({ ledger, topics, reader, cases, producer } = rig);
    feedback = rig.feedback;
  });

  afterAll(() => rig?.stop());

  /** As the department a message names would send it: on that department's topic (finance's for text). */
  const send = (
    key: string,
    value: unknown,
    topic = feedbackTopicOf(topics, (value as { departmentId?: string }).departmentId ?? 'finance'),
  ) =>
    producer.send({
      topic,
      messages: [{ key, value: typeof value === 'string' ? value : JSON.stringify(value) }],
    });

  const caseEventsOn = (caseId: string) =>
    reader
      .on(topics.disciplineRequests)
      .filter((m) => m.key === caseId)
      .map((m) => parse<CloudEvent>(m));

  async function openedCaseFor(subjectId: string): Promise<CloudEvent> {
    await reader.until(
      (messages) =>
        messages.some(
          (m) => m.topic === topics.disciplineRequests && parse<CloudEvent>(m).subject === subjectId,
        ),
      30_000,
      `a case for ${subjectId}`,
    );
    return parse<CloudEvent>(
      reader.on(topics.disciplineRequests).find((m) => parse<CloudEvent>(m).subject === subjectId)!,
    );
  }

  async function streamLength(caseId: string): Promise<number> {
    return (await ledger.store.readStream(toCaseStreamId(caseId))).length;
  }

  it('opens a case with the policy’s measures and the departments that apply them, then follows it to closure', async () => {
    const school = await registerSchool(ledger.commands);
    const recordId = await penalise(ledger.commands, school);

    const opened = await openedCaseFor(school);
    const caseId = opened.caseid!;
    expect(opened).toMatchObject({ type: 'cn.edu.credit.discipline.case.opened.v1', subject: school });
    const data = opened.data as CaseOpened['data'];
    expect(data).toMatchObject({ caseId, subjectId: school, list: 'black', recordIds: [recordId] });
    expect(data.measures).toEqual([
      'no_honours_or_commendation',
      'no_project_funding',
      'more_frequent_inspection',
    ]);
    expect(data.departments.map((d) => d.departmentId)).toEqual([
      'education-personnel',
      'finance',
      'education-supervision',
    ]);

    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    const financeAccepts = departmentResponse(caseId, 'finance', 'accepted', { at });
    await send(caseId, financeAccepts);
    await send(caseId, departmentResponse(caseId, 'education-personnel', 'applied', { at }));
    await send(
      caseId,
      departmentResponse(caseId, 'education-supervision', 'not_applicable', {
        reason: 'The school is already under key monitoring',
        at,
      }),
    );
    await eventually(
      async () =>
        (await cases.status(caseId))?.departments.every((d) => d.status !== 'awaiting_response') ?? false,
      30_000,
      'three responses',
    );
    expect((await cases.status(caseId))?.status).toBe('open');

    // A message delivered twice is recognised and leaves the case as it was.
    const before = await streamLength(caseId);
    await send(caseId, financeAccepts);
    await eventually(() => feedback.handled.duplicate === 1, 30_000, 'the duplicate to be handled');
    expect(await streamLength(caseId)).toBe(before);

    await send(caseId, {
      messageId: randomUUID(),
      caseId,
      departmentId: 'finance',
      kind: 'execution',
      measuresApplied: ['no_project_funding'],
      executedOn: today,
      note: 'Funding application 2025-17 refused',
      at,
    });
    await eventually(
      async () => (await cases.status(caseId))?.status === 'closed',
      30_000,
      'the case to close',
    );

    expect(await cases.status(caseId)).toMatchObject({
      caseId,
      status: 'closed',
      closeReason: 'completed',
      departments: [
        { departmentId: 'education-personnel', status: 'applied' },
        {
          departmentId: 'finance',
          status: 'fed_back',
          response: 'accepted',
          measuresApplied: ['no_project_funding'],
          executedOn: today,
        },
        {
          departmentId: 'education-supervision',
          status: 'not_applicable',
          reason: 'The school is already under key monitoring',
        },
      ],
    });
    // Every step reached the provincial systems, in order, on the case's key.
    await reader.until(
      () => caseEventsOn(caseId).length >= 6,
      30_000,
      'the case events on the requests topic',
    );
    expect(caseEventsOn(caseId).map((e) => e.type.replace('cn.edu.credit.discipline.', ''))).toEqual([
      'case.opened.v1',
      'department.responded.v1',
      'department.responded.v1',
      'department.responded.v1',
      'execution.fed.back.v1',
      'case.closed.v1',
    ]);
  });

  it('opens one case per list entry however often the entry is delivered', async () => {
    const school = await registerSchool(ledger.commands);
    await penalise(ledger.commands, school);
    const opened = await openedCaseFor(school);
    // Run a second initiator over the whole feed from zero, as after a lost checkpoint.
    const again = new DisciplineCaseInitiator(ledger.store, ledger.documents, cases, {
      checkpointName: 'initiator-replay',
      log: silentLog,
    });
    await again.start();
    await again.waitFor(await ledger.store.headPosition(), 30_000);
    await again.stop();
    expect(await streamLength(opened.caseid!)).toBe(1);
  });

  it('closes the case as lifted when the subject leaves the list', async () => {
    const school = await registerSchool(ledger.commands);
    const recordId = await penalise(ledger.commands, school);
    const caseId = (await openedCaseFor(school)).caseid!;
    await revoke(ledger.commands, school, recordId);
    await eventually(
      async () => (await cases.status(caseId))?.status === 'closed',
      30_000,
      'the case to be lifted',
    );
    expect(await cases.status(caseId)).toMatchObject({ closeReason: 'lifted' });
  });

  describe('feedback that cannot be applied', () => {
    const deadLetterWith = async (marker: string) => {
      await reader.until(
        (m) => m.some((x) => x.topic === topics.disciplineFeedbackDeadLetters && x.value?.includes(marker)),
        30_000,
        `dead letter ${marker}`,
      );
      return reader.on(topics.disciplineFeedbackDeadLetters).find((m) => m.value?.includes(marker))!;
    };

    it('sends malformed JSON to the dead-letter topic with the reason and the original bytes', async () => {
      const marker = randomUUID();
      const payload = `{"messageId": "${marker}", "caseId": `;
      await send('some-case', payload);
      const dead = await deadLetterWith(marker);
      expect(dead.value).toBe(payload);
      expect(dead.key).toBe('some-case');
      expect(dead.headers).toMatchObject({
        'dlq-reason-code': 'FEEDBACK.MALFORMED_JSON',
        'dlq-original-topic': feedbackTopicOf(topics, 'finance'),
      });
      expect(dead.headers['dlq-reason']).toMatch(/^Not JSON/);
    });

    it('sends a schema violation there, saying which fields are wrong', async () => {
      const marker = randomUUID();
      await send('some-case', {
        messageId: marker,
        caseId: 'some-case',
        departmentId: 'finance',
        kind: 'respond',
        at: 'yesterday',
      });
      const dead = await deadLetterWith(marker);
      expect(dead.headers['dlq-reason-code']).toBe('FEEDBACK.SCHEMA_VIOLATION');
      expect(dead.headers['dlq-reason']).toContain('kind must be');
      expect(dead.headers['dlq-reason']).toContain('at must be');
    });

    it('sends feedback on an unknown case there', async () => {
      const marker = randomUUID();
      const caseId = randomUUID();
      await send(caseId, departmentResponse(caseId, 'finance', 'accepted', { messageId: marker }));
      const dead = await deadLetterWith(marker);
      expect(dead.headers['dlq-reason-code']).toBe('CASE.NOT_OPENED');
      expect(await streamLength(caseId)).toBe(0);
    });

    it('refuses a body answering for another department than the topic’s, and applies nothing', async () => {
      const school = await registerSchool(ledger.commands);
      await penalise(ledger.commands, school);
      const caseId = (await openedCaseFor(school)).caseid!;
      const before = await streamLength(caseId);
      const marker = randomUUID();
      // Finance's topic, a body naming education-supervision (a department the case is addressed to).
      await send(
        caseId,
        departmentResponse(caseId, 'education-supervision', 'not_applicable', {
          messageId: marker,
          reason: 'forged',
        }),
        feedbackTopicOf(topics, 'finance'),
      );
      const dead = await deadLetterWith(marker);
      expect(dead.headers).toMatchObject({
        'dlq-reason-code': 'FEEDBACK.DEPARTMENT_MISMATCH',
        'dlq-original-topic': feedbackTopicOf(topics, 'finance'),
      });
      expect(dead.headers['dlq-reason']).toContain('"education-supervision"');
      expect(await streamLength(caseId)).toBe(before);
      expect((await cases.status(caseId))?.departments).toContainEqual(
        expect.objectContaining({ departmentId: 'education-supervision', status: 'awaiting_response' }),
      );
      expect(feedback.health.deadLettersByCode['FEEDBACK.DEPARTMENT_MISMATCH']).toBeGreaterThanOrEqual(1);
    });

    it('refuses feedback on the base topic, which names no department', async () => {
      const marker = randomUUID();
      const caseId = randomUUID();
      await send(
        caseId,
        departmentResponse(caseId, 'finance', 'accepted', { messageId: marker }),
        topics.disciplineFeedback,
      );
      const dead = await deadLetterWith(marker);
      expect(dead.headers['dlq-reason-code']).toBe('FEEDBACK.UNATTRIBUTED');
      expect(feedback.health).toMatchObject({ state: 'running' });
    });

    it('keeps consuming after bad input', async () => {
      const school = await registerSchool(ledger.commands);
      await penalise(ledger.commands, school);
      const caseId = (await openedCaseFor(school)).caseid!;
      await send(caseId, 'not json at all');
      await send(caseId, departmentResponse(caseId, 'finance', 'accepted'));
      await eventually(
        async () => (await cases.status(caseId))?.departments.some((d) => d.status === 'accepted') ?? false,
        30_000,
        'the response after the bad one',
      );
    });
  });
});
