// Kafka with credentials and ACLs, on the SASL_SSL broker of `npm test` (infra/kafka, KAFKA_SECURITY=sasl_ssl):
// the ledger's messaging, configured from its environment variables, publishes over TLS with SCRAM-SHA-512;
// a department reads the events and the cases addressed to it and answers on its own feedback topic, which
// the ledger consumes, taking the department from the topic: a department can neither write another's topic
// nor answer for another in the body. Students' records go only to the restricted topics, which only a
// principal granted them reads. The ACLs are infra/kafka/security.js's grants, given here on topics of this
// run's own (the shared broker got the grants of the default topics when it started), so runs side by side
// never share a topic or a consumer group. A user with no ACL may do nothing; a wrong password is logged
// once and retried, never a crash.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  createKafka,
  defaultFeedbackDepartments,
  ensureTopics,
  feedbackTopicOf,
  parseBrokers,
  silentLog,
  startMessaging,
  topicConfigs,
  type CloudEvent,
  type KafkaSecurity,
  type Messaging,
  type MessagingLog,
  type TopicNames,
} from '@ledger/messaging';
import { Ledger, loadConfig, type HealthReport, type LedgerLogger, type LogEntry } from '@ledger/runtime';
import { serveHealth } from '../../apps/ledger-worker/src/health-server';
import { departmentResponse, eventually, parse, TopicReader, uniqueTopics } from './support/kafka';
import { penalise, registerPerson, registerSchool, sqliteLedger, type TestLedger } from './support/ledger';

jest.setTimeout(120_000);

interface BrokerSecrets {
  readonly caFile: string;
  readonly users: Record<string, string>;
}

interface Grant {
  readonly principal: string;
  readonly operation: string;
  readonly type: 'topic' | 'group';
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
}

// The broker's ACLs as data (CommonJS, beside the broker it configures).
const security = require('../../infra/kafka/security.js') as {
  grants(options: {
    topics: Record<string, string>;
    ledgerGroup: string;
    restrictedReaders?: readonly string[];
  }): Grant[];
  kafkaAcls(grants: readonly Grant[]): Parameters<ReturnType<Kafka['admin']>['createAcls']>[0]['acl'];
};

function requireSecureKafka(): { brokers: string[]; secrets: BrokerSecrets } {
  const brokers = parseBrokers(process.env.KAFKA_SASL_SSL_BROKERS);
  const secretsFile = process.env.KAFKA_SASL_SSL_SECRETS;
  if (brokers.length === 0 || !secretsFile) {
    throw new Error(
      'KAFKA_SASL_SSL_BROKERS and KAFKA_SASL_SSL_SECRETS are not set: run `npm test`, or start one with ' +
        'KAFKA_SECURITY=sasl_ssl KAFKA_PORT=19192 node infra/kafka/broker.js start (status names its security.json)',
    );
  }
  return { brokers, secrets: JSON.parse(readFileSync(secretsFile, 'utf8')) as BrokerSecrets };
}

/** Log lines kept in memory, so the test can read what an operator would. */
function capturedLog(): MessagingLog & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const keep = (level: string) => (message: Record<string, unknown>) => lines.push({ level, ...message });
  return { lines, log: keep('info'), warn: keep('warn'), error: keep('error') };
}

const errorTypeOf = (error: unknown): string | undefined => {
  const e = error as { type?: string; cause?: { type?: string }; errors?: Array<{ type?: string }> };
  return e.type ?? e.cause?.type ?? e.errors?.[0]?.type;
};

/** security.js's names for a run's topics. */
const securityTopics = (t: TopicNames) => ({
  events: t.events,
  restrictedEvents: t.restrictedEvents,
  lists: t.lists,
  restrictedLists: t.restrictedLists,
  requests: t.disciplineRequests,
  restrictedRequests: t.restrictedDisciplineRequests,
  feedback: t.disciplineFeedback,
  deadLetters: t.disciplineFeedbackDeadLetters,
  digests: t.digests,
});

describe('Kafka over SASL_SSL with ACLs', () => {
  const { brokers, secrets } = requireSecureKafka();
  const as = (username: string, password = secrets.users[username]!): KafkaSecurity => ({
    ssl: { caFile: secrets.caFile },
    sasl: { mechanism: 'scram-sha-512', username, password },
  });
  const kafkaAs = (username: string): Kafka => createKafka({ brokers, log: silentLog, ...as(username) });
  /** The ledger's settings exactly as it reads them at start. */
  const ledgerSettings = (password = secrets.users.ledger!) =>
    loadConfig({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SSL_CA_FILE: secrets.caFile,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'ledger',
      KAFKA_SASL_PASSWORD: password,
    });

  /** Grants through the broker's admin (a super user); `revoke` takes them back. */
  async function grant(grants: readonly Grant[]): Promise<{ revoke(): Promise<void> }> {
    const admin = kafkaAs('admin').admin();
    await admin.connect();
    const acl = security.kafkaAcls(grants);
    try {
      await admin.createAcls({ acl });
    } finally {
      await admin.disconnect();
    }
    return {
      async revoke() {
        const again = kafkaAs('admin').admin();
        await again.connect();
        await again.deleteAcls({ filters: acl }).finally(() => again.disconnect());
      },
    };
  }

  /** The ledger creates its topics, once its grants have reached the authorizer. */
  async function createTopicsAsLedger(topics: TopicNames): Promise<void> {
    const ledgerAdmin = kafkaAs('ledger').admin();
    await ledgerAdmin.connect();
    try {
      await eventually(
        () =>
          ensureTopics(ledgerAdmin, topicConfigs(topics)).then(
            () => true,
            () => false,
          ),
        20_000,
        'the ledger allowed to create its topics',
      );
    } finally {
      await ledgerAdmin.disconnect();
    }
  }

  describe('the ledger and the departments', () => {
    const topics = uniqueTopics();
    const group = `credit-ledger.discipline-feedback.${randomBytes(4).toString('hex')}`;
    const log = capturedLog();
    let acls: { revoke(): Promise<void> };
    let ledger: TestLedger;
    let messaging: Messaging;
    let finance: TopicReader;
    let school: string;
    let student: string;
    let caseId: string;

    beforeAll(async () => {
      // education-supervision stands for the deployment's reader of restricted records.
      acls = await grant(
        security.grants({
          topics: securityTopics(topics),
          ledgerGroup: group,
          restrictedReaders: ['education-supervision'],
        }),
      );
      await createTopicsAsLedger(topics);
      ledger = await sqliteLedger();
      const config = ledgerSettings();
      messaging = await startMessaging(
        { events: ledger.store, documents: ledger.documents, checkpoints: ledger.checkpoints },
        {
          brokers: parseBrokers(config.kafkaBrokers),
          ...config.kafkaSecurity,
          policyVersion: '2025-01',
          topics,
          feedbackGroupId: group,
          log,
        },
      );
      finance = await TopicReader.start(
        brokers,
        [topics.events, topics.lists, topics.disciplineRequests],
        silentLog,
        { ...as('finance'), groupPrefix: 'finance.' },
      );
      school = await registerSchool(ledger.commands);
      await penalise(ledger.commands, school);
      student = await registerPerson(ledger.commands, 'student', '350203201005014569');
      await penalise(ledger.commands, student);
      await messaging.relay!.waitFor(await ledger.store.headPosition(), 30_000);
      await finance.until(
        (messages) =>
          messages.some(
            (m) => m.topic === topics.disciplineRequests && parse<CloudEvent>(m).subject === school,
          ),
        30_000,
        'the school’s case on the requests topic',
      );
      caseId = parse<CloudEvent>(
        finance.on(topics.disciplineRequests).find((m) => parse<CloudEvent>(m).subject === school)!,
      ).caseid!;
      await eventually(
        () => messaging.feedback?.health.state === 'running',
        30_000,
        'the feedback consumer running',
      );
    });

    afterAll(async () => {
      await finance?.stop();
      await messaging?.stop();
      await ledger?.dispose();
      await acls?.revoke();
    });

    const departmentStatus = async (departmentId: string) =>
      (await messaging.cases.status(caseId))?.departments.find((d) => d.departmentId === departmentId)
        ?.status;

    async function sendAs(username: string, topic: string, value: unknown): Promise<unknown> {
      const producer = kafkaAs(username).producer();
      await producer.connect();
      try {
        return await producer
          .send({ topic, messages: [{ key: caseId, value: JSON.stringify(value) }] })
          .catch((error: unknown) => error);
      } finally {
        await producer.disconnect();
      }
    }

    it('the relay publishes, a department reads the case, answers on its topic, and the ledger applies it', async () => {
      expect(finance.on(topics.events).some((m) => parse<CloudEvent>(m).subject === school)).toBe(true);
      const sent = await sendAs(
        'finance',
        feedbackTopicOf(topics, 'finance'),
        departmentResponse(caseId, 'finance', 'accepted'),
      );
      expect(sent).toEqual([expect.objectContaining({ errorCode: 0 })]);
      await eventually(
        async () => (await departmentStatus('finance')) === 'accepted',
        30_000,
        `finance's answer applied to case ${caseId}`,
      );
    });

    it('a department cannot write another department’s feedback topic', async () => {
      const refused = await sendAs(
        'finance',
        feedbackTopicOf(topics, 'education-supervision'),
        departmentResponse(caseId, 'education-supervision', 'not_applicable', { reason: 'forged' }),
      );
      expect(errorTypeOf(refused)).toBe('TOPIC_AUTHORIZATION_FAILED');
      expect(await departmentStatus('education-supervision')).toBe('awaiting_response');
    });

    it('a department answering for another on its own topic is refused: logged, counted, not applied', async () => {
      const marker = `forged-${randomBytes(4).toString('hex')}`;
      await sendAs(
        'finance',
        feedbackTopicOf(topics, 'finance'),
        departmentResponse(caseId, 'education-supervision', 'not_applicable', {
          reason: 'forged',
          messageId: marker,
        }),
      );
      await eventually(
        () => (messaging.feedback!.health.deadLettersByCode['FEEDBACK.DEPARTMENT_MISMATCH'] ?? 0) >= 1,
        30_000,
        'the forged answer refused',
      );
      expect(log.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'feedback dead-lettered',
          code: 'FEEDBACK.DEPARTMENT_MISMATCH',
          topic: feedbackTopicOf(topics, 'finance'),
        }),
      );
      expect(await departmentStatus('education-supervision')).toBe('awaiting_response');
      // The dead letter, for whoever follows up (read here as the broker's admin: nobody else is granted it).
      const deadLetters = await TopicReader.start(
        brokers,
        [topics.disciplineFeedbackDeadLetters],
        silentLog,
        { ...as('admin') },
      );
      try {
        await deadLetters.until(
          (m) => m.some((x) => x.value?.includes(marker) ?? false),
          30_000,
          'the dead letter',
        );
        expect(deadLetters.messages.find((x) => x.value?.includes(marker))!.headers).toMatchObject({
          'dlq-reason-code': 'FEEDBACK.DEPARTMENT_MISMATCH',
        });
      } finally {
        await deadLetters.stop();
      }
    });

    it('a student’s records never reach the topics every department reads, only the restricted ones', async () => {
      const granted = await TopicReader.start(
        brokers,
        [topics.restrictedEvents, topics.restrictedLists, topics.restrictedDisciplineRequests],
        silentLog,
        { ...as('education-supervision'), groupPrefix: 'education-supervision.' },
      );
      try {
        await granted.until(
          (m) =>
            m.some((x) => x.topic === topics.restrictedLists && x.key === `black:${student}`) &&
            m.some((x) => x.topic === topics.restrictedDisciplineRequests),
          30_000,
          'the student’s list entry and case on the restricted topics',
        );
        const entry = granted.on(topics.restrictedLists).find((x) => x.key === `black:${student}`)!;
        expect(parse(entry)).toMatchObject({ list: 'black', subjectId: student, restricted: true });
      } finally {
        await granted.stop();
      }
      // The school's entry reached finance, so the student's would have by now.
      await finance.until(
        (m) => m.some((x) => x.topic === topics.lists && x.key === `black:${school}`),
        30_000,
        'the school’s list entry',
      );
      const aboutStudent = finance.messages.filter(
        (m) => m.key?.includes(student) || m.value?.includes(student),
      );
      expect(aboutStudent).toEqual([]);
      expect(finance.messages.some((m) => m.value?.includes('"restricted":true'))).toBe(false);
    });

    it('a department not granted the restricted topics may not read them', async () => {
      const consumer = kafkaAs('finance').consumer({
        groupId: `finance.restricted-${randomBytes(4).toString('hex')}`,
      });
      await consumer.connect();
      try {
        for (const topic of [
          topics.restrictedLists,
          topics.restrictedEvents,
          topics.restrictedDisciplineRequests,
        ]) {
          const error = await consumer.subscribe({ topics: [topic], fromBeginning: true }).catch((e) => e);
          expect(errorTypeOf(error)).toBe('TOPIC_AUTHORIZATION_FAILED');
        }
      } finally {
        await consumer.disconnect();
      }
    });

    it('a department may not write the events topic', async () => {
      const refused = await sendAs('education-supervision', topics.events, { forged: true });
      expect(errorTypeOf(refused)).toBe('TOPIC_AUTHORIZATION_FAILED');
    });

    it('a user with no ACL authenticates and may do nothing', async () => {
      const producer = kafkaAs('stranger').producer();
      const admin = kafkaAs('stranger').admin();
      await Promise.all([producer.connect(), admin.connect()]);
      try {
        const write = await producer
          .send({ topic: feedbackTopicOf(topics, 'finance'), messages: [{ key: 'x', value: '{}' }] })
          .catch((e) => e);
        expect(errorTypeOf(write)).toBe('TOPIC_AUTHORIZATION_FAILED');
        // Metadata lists only what a principal may describe: nothing.
        expect(await admin.listTopics()).toEqual([]);
      } finally {
        await Promise.all([producer.disconnect(), admin.disconnect()]);
      }
    });
  });

  describe('the ledger with a wrong password', () => {
    it('logs once that the relay cannot publish, keeps retrying from its checkpoint, and stops cleanly', async () => {
      const ledger = await sqliteLedger();
      const log = capturedLog();
      const config = ledgerSettings('not-the-password');
      const messaging = await startMessaging(
        { events: ledger.store, documents: ledger.documents, checkpoints: ledger.checkpoints },
        {
          brokers: parseBrokers(config.kafkaBrokers),
          ...config.kafkaSecurity,
          policyVersion: '2025-01',
          log,
          relay: { retryDelayMs: 200 },
        },
      );
      try {
        await registerSchool(ledger.commands);
        const relayFailures = () =>
          log.lines.filter((l) => l.msg === 'relay cannot publish; retrying from the checkpoint');
        await eventually(() => relayFailures().length > 0, 30_000, 'the relay reporting it cannot publish');
        expect(relayFailures()[0]).toMatchObject({
          level: 'error',
          position: 0,
          error: expect.stringMatching(/SASL SCRAM SHA512 authentication failed/),
          kind: 'SASL_AUTHENTICATION_FAILED',
          hint: expect.stringContaining('KAFKA_SASL_PASSWORD'),
        });
        const attemptsBefore = log.lines.length;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        // Still trying (kafkajs reports each attempt as a warning), still one error line, nothing published.
        expect(log.lines.length).toBeGreaterThan(attemptsBefore);
        expect(relayFailures()).toHaveLength(1);
        expect(messaging.relay!.position).toBe(0);
        expect(log.lines.some((l) => l.msg === 'feedback consumer cannot start yet; retrying')).toBe(true);
      } finally {
        await messaging.stop();
        await ledger.dispose();
      }
    });

    it('the process stays up and its /health names the failure, for the relay and the feedback consumer', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ledger-sasl-health-'));
      const entries: Array<Record<string, unknown>> = [];
      const keep = (level: string) => (entry: LogEntry | Error, context: string) =>
        entries.push({ level, context, ...(entry instanceof Error ? { msg: entry.message } : entry) });
      const logger: LedgerLogger = {
        log: keep('info'),
        warn: keep('warn'),
        error: keep('error'),
        debug: () => undefined,
      };
      const ledger = await Ledger.open(
        loadConfig({
          LEDGER_DATA_DIR: dataDir,
          KAFKA_BROKERS: brokers.join(','),
          KAFKA_SSL_CA_FILE: secrets.caFile,
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: 'ledger',
          KAFKA_SASL_PASSWORD: 'not-the-password',
        }),
        { logger },
      );
      const health = await serveHealth(() => ledger.health(), '127.0.0.1', 0);
      try {
        await ledger.start();
        await registerSchool(ledger.subjects);
        const read = async () => {
          const response = await fetch(`${health.url}/health`);
          return { status: response.status, body: (await response.json()) as HealthReport };
        };
        await eventually(
          async () => {
            const { body } = await read();
            return (
              body.status === 'ok' &&
              body.kafka?.status === 'failing' &&
              body.kafka.relay.state === 'failing' &&
              body.kafka.feedback.state === 'failing'
            );
          },
          30_000,
          '/health showing the relay and the feedback consumer failing',
        );
        const { status, body } = await read();
        // The ledger answers (the store is the outbox): 200, with the failure as a detail.
        expect(status).toBe(200);
        const kafka = body.status === 'ok' ? body.kafka : undefined;
        const saslFailure = {
          kind: 'SASL_AUTHENTICATION_FAILED',
          hint: expect.stringMatching(/principal "ledger".*KAFKA_SASL_PASSWORD/),
          message: expect.stringMatching(/SASL SCRAM SHA512 authentication failed/),
        };
        expect(kafka).toMatchObject({
          relay: { state: 'failing', position: 0, lastError: saslFailure },
          feedback: { state: 'failing', lastError: saslFailure },
        });
        // No crash loop: after a while, still up, the pause between attempts grown (0.5 s doubling to
        // 5 s: at most a handful of attempts in 6 s), and one error line from the relay.
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        const later = (await read()).body;
        const relay = later.status === 'ok' ? later.kafka : undefined;
        expect(relay).toMatchObject({ relay: { state: 'failing' } });
        const failures = relay && relay.status !== 'off' ? relay.relay.failures : 0;
        expect(failures).toBeGreaterThanOrEqual(2);
        expect(failures).toBeLessThanOrEqual(8);
        expect(entries.filter((e) => e.msg === 'relay cannot publish; retrying from the checkpoint')).toEqual(
          [
            expect.objectContaining({
              level: 'error',
              context: 'Messaging',
              kind: 'SASL_AUTHENTICATION_FAILED',
            }),
          ],
        );
        expect(entries.filter((e) => e.msg === 'feedback consumer cannot start yet; retrying')).toHaveLength(
          1,
        );
      } finally {
        await health.close();
        await ledger.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('a missing ACL', () => {
    it('stops the relay and the feedback consumer with a clear error, and both resume once it is granted', async () => {
      const topics = uniqueTopics();
      const group = `credit-ledger.discipline-feedback.${randomBytes(4).toString('hex')}`;
      const all = security.grants({ topics: securityTopics(topics), ledgerGroup: group });
      // Forgotten: the ledger's WRITE on the restricted lists topic and its READ on the feedback topics.
      const forgotten = (g: Grant) =>
        g.principal === 'ledger' &&
        ((g.operation === 'write' && g.name === topics.restrictedLists) ||
          (g.operation === 'read' && g.type === 'topic' && g.name.startsWith(topics.disciplineFeedback)));
      const acls = await grant(all.filter((g) => !forgotten(g)));
      let later: { revoke(): Promise<void> } | undefined;
      // Made by the broker's admin: the ledger could not even see those it lacks READ or WRITE on.
      const admin = kafkaAs('admin').admin();
      await admin.connect();
      await ensureTopics(admin, topicConfigs(topics, {}, defaultFeedbackDepartments)).finally(() =>
        admin.disconnect(),
      );
      const ledger = await sqliteLedger();
      const log = capturedLog();
      const messaging = await startMessaging(
        { events: ledger.store, documents: ledger.documents, checkpoints: ledger.checkpoints },
        {
          brokers,
          ...as('ledger'),
          policyVersion: '2025-01',
          topics,
          feedbackGroupId: group,
          log,
          relay: { retryDelayMs: 200, maxRetryDelayMs: 1_000 },
        },
      );
      try {
        const student = await registerPerson(ledger.commands, 'student', '350203201005014569');
        await penalise(ledger.commands, student);
        await eventually(
          () => {
            const health = messaging.health();
            return (
              health.status === 'failing' &&
              health.relay.state === 'failing' &&
              health.feedback.state === 'failing'
            );
          },
          30_000,
          'the relay and the feedback consumer failing',
        );
        const health = messaging.health();
        expect(health).toMatchObject({
          relay: {
            state: 'failing',
            position: 0,
            lastError: {
              kind: 'TOPIC_AUTHORIZATION_FAILED',
              hint: expect.stringContaining('principal "ledger" lacks an ACL'),
            },
          },
          feedback: { state: 'failing', lastError: { kind: 'TOPIC_AUTHORIZATION_FAILED' } },
        });
        expect(
          log.lines.filter((l) => l.msg === 'relay cannot publish; retrying from the checkpoint'),
        ).toEqual([expect.objectContaining({ level: 'error', kind: 'TOPIC_AUTHORIZATION_FAILED' })]);
        expect(log.lines).toContainEqual(
          expect.objectContaining({
            msg: 'feedback consumer cannot start yet; retrying',
            kind: 'TOPIC_AUTHORIZATION_FAILED',
          }),
        );

        // Granted while the ledger runs: both carry on by themselves, from where they stopped.
        later = await grant(all.filter(forgotten));
        const head = await ledger.store.headPosition();
        await messaging.relay!.waitFor(head, 30_000);
        await eventually(() => messaging.health().status === 'ok', 30_000, 'messaging healthy again');
        expect(messaging.health()).toMatchObject({
          relay: { state: 'publishing', position: head, failures: 0 },
          feedback: { state: 'running' },
        });
        expect(log.lines).toContainEqual(expect.objectContaining({ msg: 'relay publishing again' }));
      } finally {
        await messaging.stop();
        await ledger.dispose();
        await acls.revoke();
        await later?.revoke();
      }
    });
  });
});
