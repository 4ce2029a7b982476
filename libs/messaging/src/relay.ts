// The outbox relay: follows the store's global feed from its checkpoint and publishes every event to
// Kafka. The checkpoint moves only after the broker acknowledged the whole batch, so a crash or an
// outage means republishing (at-least-once; consumers deduplicate by CloudEvent id), never a gap.
import { PositionWaiters, type EventStore } from '@ledger/event-store';
import type { DocumentStore } from '@ledger/projections';
import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import { DEFAULT_SOURCE } from './cloud-events';
import { consoleLog, createKafka, type KafkaConnection, type MessagingLog } from './kafka-client';
import { messagesFor, splitByBytes, type OutgoingMessage } from './relay-messages';
import { StreamFacts } from './stream-facts';
import { ensureTopics, topicConfigs, topicNames, type TopicNames, type TopicSettings } from './topics';

export interface RelayOptions extends KafkaConnection {
  readonly topics?: Partial<TopicNames>;
  readonly topicSettings?: TopicSettings;
  /** CloudEvents `source` of everything this ledger publishes. */
  readonly source?: string;
  /** Events read and published per round trip. */
  readonly batchSize?: number;
  /** Name of the relay's checkpoint in the document store. */
  readonly checkpointName?: string;
  /** How long the broker may take to acknowledge a batch before it is retried. */
  readonly sendTimeoutMs?: number;
  /** Largest produce request, below the topics' max.message.bytes (1 MiB by default). */
  readonly maxRequestBytes?: number;
  /** How often an idle relay looks for new events. */
  readonly pollIntervalMs?: number;
  /** Pause before a failed batch is tried again. */
  readonly retryDelayMs?: number;
}

interface PreparedBatch {
  /** Feed position of the batch's last event: the checkpoint once the broker acknowledged. */
  readonly last: number;
  readonly messages: readonly OutgoingMessage[];
}

const CHECKPOINT_VERSION = 1;

export class KafkaRelay {
  private readonly kafka: Kafka;
  private readonly topics: TopicNames;
  private readonly facts: StreamFacts;
  private readonly log: MessagingLog;
  private readonly checkpointName: string;
  private producer: Producer | undefined;
  private topicsReady = false;
  private running: Promise<void> | undefined;
  private stopping = false;
  private failing = false;
  private acknowledged = 0;
  private publishedMessages = 0;
  private wake: (() => void) | undefined;
  private readonly waiters = new PositionWaiters('The relay', () => this.acknowledged);

  constructor(
    private readonly store: EventStore,
    private readonly documents: DocumentStore,
    private readonly options: RelayOptions,
  ) {
    this.kafka = createKafka(options);
    this.topics = topicNames(options.topics);
    this.facts = new StreamFacts(store);
    this.log = options.log ?? consoleLog;
    this.checkpointName = options.checkpointName ?? 'relay';
  }

  /** Starts following the feed. Needs no broker: until one answers, batches wait and are retried. */
  async start(): Promise<void> {
    this.stopping = false;
    this.acknowledged = (await this.documents.checkpoint(this.checkpointName))?.position ?? 0;
    this.log.log({
      msg: 'relay started',
      brokers: this.options.brokers.join(','),
      fromPosition: this.acknowledged,
    });
    this.running = this.run();
  }

  /** Position of the last event the broker acknowledged (and the checkpoint holds). */
  get position(): number {
    return this.acknowledged;
  }

  /** Messages acknowledged since start (an event can be more than one message). */
  get published(): number {
    return this.publishedMessages;
  }

  /** Resolves once everything up to `position` has been acknowledged by the broker. */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // Disconnecting aborts a send stuck on an absent broker; the batch is republished after a restart.
    await Promise.all([this.running, this.discardProducer()]);
    this.running = undefined;
    await this.discardProducer();
  }

  // Reads one batch ahead: while the broker works on batch k, batch k+1 is read and mapped. The
  // checkpoint still moves strictly in order, each batch after its own acknowledgement.
  private async run(): Promise<void> {
    let ahead: Promise<PreparedBatch | undefined> | undefined;
    while (!this.stopping) {
      try {
        // The read-ahead was taken while the last batch was in flight; when it found nothing, events
        // may have come since: read again now, and sleep only when a fresh read finds nothing.
        const batch = (await ahead) ?? (await this.prepare(this.acknowledged));
        ahead = undefined;
        if (!batch) {
          await this.sleep(this.options.pollIntervalMs ?? 50);
          continue;
        }
        const sent = this.send(batch.messages);
        ahead = afterPendingWrites().then(() => this.prepare(batch.last));
        ahead.catch(() => undefined); // awaited next round; a failure there is handled there
        await sent;
        await this.documents.commit(this.checkpointName, CHECKPOINT_VERSION, [], batch.last);
        this.acknowledge(batch);
      } catch (error) {
        ahead = undefined;
        this.reportFailure(error);
        await this.sleep(this.options.retryDelayMs ?? 500);
      }
    }
  }

  private async prepare(after: number): Promise<PreparedBatch | undefined> {
    const events = await this.store.readAll({ after, limit: this.options.batchSize ?? 1000 });
    if (events.length === 0) return undefined;
    const context = { topics: this.topics, source: this.options.source ?? DEFAULT_SOURCE };
    const messages: OutgoingMessage[] = [];
    for (const event of events) {
      const facts = this.facts.known(event) ?? (await this.facts.of(event));
      messages.push(...messagesFor(event, facts, context));
    }
    return { last: events[events.length - 1]!.position, messages };
  }

  private async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const producer = await this.connectedProducer();
    try {
      for (const run of splitByBytes(messages, this.options.maxRequestBytes ?? 900_000)) {
        await producer.sendBatch({
          topicMessages: byTopic(run),
          acks: -1,
          timeout: this.options.sendTimeoutMs ?? 30_000,
        });
      }
    } catch (error) {
      // A producer that failed mid-batch may hold stale sequence numbers: the retry gets a fresh one.
      await this.discardProducer();
      throw error;
    }
  }

  private acknowledge(batch: PreparedBatch): void {
    this.acknowledged = batch.last;
    this.publishedMessages += batch.messages.length;
    if (this.failing) {
      this.failing = false;
      this.log.log({ msg: 'relay publishing again', position: batch.last });
    }
    this.waiters.moved();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    if (!this.topicsReady) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const created = await ensureTopics(admin, topicConfigs(this.topics, this.options.topicSettings));
        if (created.length > 0) this.log.log({ msg: 'kafka topics created', topics: created });
      } finally {
        await admin.disconnect();
      }
      this.topicsReady = true;
    }
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 5 },
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async discardProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  // One error line when publishing stops and one info line when it resumes, not one per retry.
  private reportFailure(error: unknown): void {
    if (this.failing || this.stopping) return;
    this.failing = true;
    this.log.error({
      msg: 'relay cannot publish; retrying from the checkpoint',
      position: this.position,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Lets kafkajs write the request it is preparing before we take the thread for the next batch. */
function afterPendingWrites(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function byTopic(messages: readonly OutgoingMessage[]): TopicMessages[] {
  const topics = new Map<string, TopicMessages['messages']>();
  for (const { topic, key, value, headers } of messages) {
    let list = topics.get(topic);
    if (!list) topics.set(topic, (list = []));
    // kafkajs only reads the headers: the message's own object goes as it is.
    list.push({ key, value, headers: headers as Record<string, string> });
  }
  return [...topics].map(([topic, topicMessages]) => ({ topic, messages: topicMessages }));
}
