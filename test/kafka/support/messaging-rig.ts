// Everything messaging runs, wired on an embedded ledger with topics of its own: the case initiator, the
// relay, the feedback consumer, a reader of the topics under test and a producer playing the departments.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { DisciplineCases } from '@ledger/application';
import {
  createKafka,
  DisciplineCaseInitiator,
  FeedbackConsumer,
  KafkaRelay,
  silentLog,
  type TopicNames,
} from '@ledger/messaging';
import { createTopics, TopicReader, uniqueTopics } from './kafka';
import { sqliteLedger, type TestLedger } from './ledger';

export interface MessagingRig {
  readonly ledger: TestLedger;
  readonly topics: TopicNames;
  readonly reader: TopicReader;
  readonly cases: DisciplineCases;
  readonly relay: KafkaRelay;
  readonly feedback: FeedbackConsumer;
  readonly producer: Producer;
  stop(): Promise<void>;
}

export async function startMessagingRig(
  brokers: string[],
  topicsToRead: (topics: TopicNames) => string[],
): Promise<MessagingRig> {
  const ledger = await sqliteLedger();
  const topics = uniqueTopics();
  await createTopics(brokers, topics);
  const cases = new DisciplineCases(ledger.store, { policyVersion: '2025-01' });
  const initiator = new DisciplineCaseInitiator(ledger.store, ledger.documents, cases, { log: silentLog });
  const relay = new KafkaRelay(ledger.store, ledger.checkpoints, { brokers, topics, log: silentLog });
  const feedback = new FeedbackConsumer(cases, {
    brokers,
    topics,
    groupId: `ledger-${randomUUID()}`,
    log: silentLog,
  });
  const reader = await TopicReader.start(brokers, topicsToRead(topics));
  await Promise.all([initiator.start(), relay.start(), feedback.start()]);
  const producer = createKafka({ brokers, log: silentLog }).producer();
  await producer.connect();
  return {
    ledger,
    topics,
    reader,
    cases,
    relay,
    feedback,
    producer,
    async stop() {
      await producer.disconnect();
      await feedback.stop();
      await relay.stop();
      await initiator.stop();
      await reader.stop();
      await ledger.dispose();
    },
  };
}
