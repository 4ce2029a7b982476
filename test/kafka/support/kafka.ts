// Kafka for the e2e suites: the real broker named by KAFKA_BROKERS (set by `npm test`). A missing
// broker fails the suite, never skips it. Each suite gets topics of its own, so suites never cross-talk.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import {
  createKafka,
  ensureTopics,
  silentLog,
  topicConfigs,
  type KafkaSecurity,
  topicNames,
  type MessagingLog,
  type TopicNames,
} from '@ledger/messaging';

export function requireKafkaBrokers(): string[] {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: run `npm test`, or start a broker (node infra/kafka/broker.js start)',
    );
  }
  return brokers;
}

/**
 * Topics of a suite's own: the tag goes in front, so no grant the broker made at start on the default names
 * (the ledger's prefixed READ on `credit.discipline.feedback.v1.`) covers them.
 */
export function uniqueTopics(): TopicNames {
  const tag = `t${randomBytes(5).toString('hex')}`;
  const defaults = topicNames();
  return Object.fromEntries(
    Object.entries(defaults).map(([role, name]) => [role, `${tag}.${name}`]),
  ) as unknown as TopicNames;
}

export async function createTopics(brokers: string[], topics: TopicNames): Promise<void> {
  const admin = createKafka({ brokers, log: silentLog }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topicConfigs(topics));
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/** Who reads, on a secure broker: credentials, and the prefix its ACLs allow for consumer groups. */
export interface ReaderPrincipal extends KafkaSecurity {
  readonly groupPrefix?: string;
}

/** Reads topics from the beginning into memory for as long as it runs; tests wait on what arrived. */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private readonly consumer;

  private constructor(brokers: string[], log: MessagingLog, as: ReaderPrincipal) {
    this.consumer = createKafka({ brokers, log, ...as }).consumer({
      groupId: `${as.groupPrefix ?? ''}test-reader-${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 200,
    });
  }

  static async start(
    brokers: string[],
    topics: readonly string[],
    log: MessagingLog = silentLog,
    as: ReaderPrincipal = {},
  ): Promise<TopicReader> {
    return TopicReader.startAt(brokers, topics, log, as, new Map());
  }

  /**
   * Reads only what arrives from now on: for shared topics (the default names) whose backlog on a
   * long-lived broker would take longer to read than a test may wait.
   */
  static async fromNow(
    brokers: string[],
    topics: readonly string[],
    log: MessagingLog = silentLog,
    as: ReaderPrincipal = {},
  ): Promise<TopicReader> {
    const admin = createKafka({ brokers, log, ...as }).admin();
    await admin.connect();
    const ends = new Map<string, bigint>();
    try {
      for (const topic of topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}/${partition}`, BigInt(high));
        }
      }
    } finally {
      await admin.disconnect();
    }
    return TopicReader.startAt(brokers, topics, log, as, ends);
  }

  private static async startAt(
    brokers: string[],
    topics: readonly string[],
    log: MessagingLog,
    as: ReaderPrincipal,
    startOffsets: ReadonlyMap<string, bigint>,
  ): Promise<TopicReader> {
    const reader = new TopicReader(brokers, log, as);
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await reader.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        // A seek lands before the first fetch; the check keeps anything older out should one come first.
        if (BigInt(message.offset) < (startOffsets.get(`${topic}/${partition}`) ?? 0n)) return;
        reader.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersOf(message.headers),
        });
      },
    });
    for (const [key, offset] of startOffsets) {
      const [topic, partition] = [
        key.slice(0, key.lastIndexOf('/')),
        Number(key.slice(key.lastIndexOf('/') + 1)),
      ];
      reader.consumer.seek({ topic, partition, offset: offset.toString() });
    }
    return reader;
  }

  on(topic: string): ReadMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  /** Waits until `predicate` holds for the messages read so far. */
  async until(
    predicate: (messages: ReadMessage[]) => boolean,
    timeoutMs = 30_000,
    what = 'messages',
  ): Promise<void> {
    await eventually(() => predicate(this.messages), timeoutMs, what);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      (Array.isArray(value) ? value[0] : value)?.toString() ?? '',
    ]),
  );
}

export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const parse = <T = Record<string, unknown>>(message: ReadMessage): T =>
  JSON.parse(message.value!) as T;

/** A department's response to a case, as a provincial joint-discipline system sends it. */
export const departmentResponse = (
  caseId: string,
  departmentId: string,
  response: 'accepted' | 'applied' | 'not_applicable',
  more: { readonly at?: string; readonly reason?: string; readonly messageId?: string } = {},
) => ({
  messageId: more.messageId ?? randomUUID(),
  caseId,
  departmentId,
  kind: 'response',
  response,
  ...(more.reason ? { reason: more.reason } : {}),
  at: more.at ?? new Date().toISOString(),
});
