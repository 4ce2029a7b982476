// Kafka with credentials and ACLs, on the SASL_SSL broker of `npm test` (infra/kafka, KAFKA_SECURITY=sasl_ssl):
// the ledger's messaging, configured from its environment variables, publishes over TLS with SCRAM-SHA-512;
// a department reads the events and the cases addressed to it and answers on the feedback topic, which the
// ledger consumes; the ACLs refuse a department the restricted list topic and the events topic for writing,
// and refuse a user with no ACL everything; a wrong password is logged once and retried, never a crash.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  createKafka,
  defaultTopicNames,
  ensureTopics,
  parseBrokers,
  silentLog,
  startMessaging,
  topicConfigs,
  type CloudEvent,
  type KafkaSecurity,
  type Messaging,
  type MessagingLog,
} from '@ledger/messaging';
import { loadConfig } from '@ledger/runtime';
import { departmentResponse, eventually, parse, TopicReader } from './support/kafka';
import { penalise, registerSchool, sqliteLedger, type TestLedger } from './support/ledger';

jest.setTimeout(120_000);

const RESTRICTED_LISTS = 'credit.lists.restricted.v1';

interface BrokerSecrets {
  readonly caFile: string;
  readonly users: Record<string, string>;
}

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

  describe('the ledger and a department', () => {
    let ledger: TestLedger;
    let messaging: Messaging;
    let department: TopicReader;

    beforeAll(async () => {
      // The ledger creates its topics (its ACLs allow it), the restricted one too, before anyone subscribes.
      const ledgerAdmin = kafkaAs('ledger').admin();
      await ledgerAdmin.connect();
      await ensureTopics(ledgerAdmin, [
        ...topicConfigs(defaultTopicNames),
        { topic: RESTRICTED_LISTS, numPartitions: 1, replicationFactor: 1 },
      ]).finally(() => ledgerAdmin.disconnect());
      ledger = await sqliteLedger();
      const config = ledgerSettings();
      messaging = await startMessaging(
        { events: ledger.store, documents: ledger.documents, checkpoints: ledger.checkpoints },
        {
          brokers: parseBrokers(config.kafkaBrokers),
          ...config.kafkaSecurity,
          policyVersion: '2025-01',
          log: silentLog,
        },
      );
      department = await TopicReader.start(
        brokers,
        [defaultTopicNames.events, defaultTopicNames.disciplineRequests],
        silentLog,
        { ...as('finance'), groupPrefix: 'finance.' },
      );
    });

    afterAll(async () => {
      await department?.stop();
      await messaging?.stop();
      await ledger?.dispose();
    });

    it('the relay publishes, a department reads the case, answers, and the ledger applies the answer', async () => {
      const school = await registerSchool(ledger.commands);
      await penalise(ledger.commands, school);
      await messaging.relay!.waitFor(await ledger.store.headPosition(), 30_000);

      await department.until(
        (messages) =>
          messages.some(
            (m) => m.topic === defaultTopicNames.events && parse<CloudEvent>(m).subject === school,
          ) &&
          messages.some(
            (m) =>
              m.topic === defaultTopicNames.disciplineRequests && parse<CloudEvent>(m).subject === school,
          ),
        30_000,
        'the school on the events and requests topics',
      );
      const opened = department
        .on(defaultTopicNames.disciplineRequests)
        .map((m) => parse<CloudEvent>(m))
        .find((event) => event.subject === school && event.type.includes('case.opened'))!;
      const { caseId, departments } = opened.data as {
        caseId: string;
        departments: Array<{ departmentId: string }>;
      };
      const answering = departments.find((d) => d.departmentId === 'finance') ?? departments[0]!;

      const producer = kafkaAs('finance').producer();
      await producer.connect();
      await producer.send({
        topic: defaultTopicNames.disciplineFeedback,
        messages: [
          {
            key: caseId,
            value: JSON.stringify(departmentResponse(caseId, answering.departmentId, 'accepted')),
          },
        ],
      });
      await producer.disconnect();

      await eventually(
        async () =>
          (await messaging.cases.status(caseId))?.departments.some(
            (d) => d.departmentId === answering.departmentId && d.status === 'accepted',
          ) ?? false,
        30_000,
        `the ${answering.departmentId} answer applied to case ${caseId}`,
      );
    });

    it('a department may not read the restricted list topic', async () => {
      const consumer = kafkaAs('finance').consumer({
        groupId: `finance.restricted-${randomBytes(4).toString('hex')}`,
      });
      await consumer.connect();
      try {
        const error = await consumer
          .subscribe({ topics: [RESTRICTED_LISTS], fromBeginning: true })
          .catch((e) => e);
        expect(errorTypeOf(error)).toBe('TOPIC_AUTHORIZATION_FAILED');
      } finally {
        await consumer.disconnect();
      }
    });

    it('a department may not write the events topic', async () => {
      const producer = kafkaAs('education-supervision').producer();
      await producer.connect();
      try {
        const error = await producer
          .send({ topic: defaultTopicNames.events, messages: [{ key: 'forged', value: '{}' }] })
          .catch((e) => e);
        expect(errorTypeOf(error)).toBe('TOPIC_AUTHORIZATION_FAILED');
      } finally {
        await producer.disconnect();
      }
    });

    it('a user with no ACL authenticates and may do nothing', async () => {
      const producer = kafkaAs('stranger').producer();
      const admin = kafkaAs('stranger').admin();
      await Promise.all([producer.connect(), admin.connect()]);
      try {
        const write = await producer
          .send({ topic: defaultTopicNames.disciplineFeedback, messages: [{ key: 'x', value: '{}' }] })
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
  });
});
