// The one loop every publisher to Kafka runs, whatever it follows (the store's feed, the digest store):
// read what comes after the checkpoint, send it with an idempotent producer and acks=all, and move the
// checkpoint only after the broker acknowledged the whole batch. A crash or an outage means republishing
// (at-least-once; consumers deduplicate), never a gap. Failures are retried from the checkpoint after a
// pause that grows while they last, so an absent broker costs a few requests a second, not a crash loop.
import { FeedIntegrityError, PositionWaiters, type IntegrityViolation } from '@ledger/event-store';
import type { Checkpoints } from '@ledger/projections';
import type { ITopicConfig, Kafka, Producer, TopicMessages } from 'kafkajs';
import {
  consoleLog,
  createKafka,
  kafkaFailureOf,
  type KafkaConnection,
  type KafkaFailure,
  type MessagingLog,
} from './kafka-client';
import { splitByBytes, type OutgoingMessage } from './relay-messages';
import { ensureTopics } from './topics';

export interface PublishBatch {
  /** Position of the batch's last item: the checkpoint once the broker acknowledged the batch. */
  readonly last: number;
  readonly messages: readonly OutgoingMessage[];
  /**
   * Set when the source met an item that failed verification right after this batch: the batch (what came
   * before it) is still sent, then the publisher stops there instead of retrying.
   */
  readonly halt?: FeedIntegrityError;
}

export interface PublisherSource {
  /** What comes after `after`, as messages; undefined while nothing does. */
  read(after: number): Promise<PublishBatch | undefined>;
}

export interface PublisherTiming {
  /** How long the broker may take to acknowledge a batch before it is retried. */
  readonly sendTimeoutMs?: number;
  /** Largest produce request, below the topics' max.message.bytes (1 MiB by default). */
  readonly maxRequestBytes?: number;
  /** How often an idle publisher looks for something new. */
  readonly pollIntervalMs?: number;
  /** Pause after a failure; doubled for each further failure in a row, up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface CheckpointedPublisherOptions extends KafkaConnection, PublisherTiming {
  /** Name of the checkpoint. */
  readonly checkpointName: string;
  /** Who speaks in the log lines ("relay cannot publish; …"). */
  readonly label: string;
  /** Created when missing, before the first send. */
  readonly topics: readonly ITopicConfig[];
  /**
   * Read batch k+1 while the broker works on batch k (the relay: it matters when the broker is a network
   * hop away). The checkpoint still moves strictly in order, each batch after its own acknowledgement.
   */
  readonly readAhead?: boolean;
  /** Called after a batch was acknowledged and checkpointed. */
  readonly onPublished?: (batch: PublishBatch) => void;
}

/** What /health shows of a publisher. */
export interface PublisherHealth {
  /**
   * `failing`: the last attempt failed (broker away, wrong credentials, a missing ACL) and it retries.
   * `halted`: an item failed verification; the publisher stopped before it (/health's integrity names it).
   */
  readonly state: 'stopped' | 'publishing' | 'failing' | 'halted';
  /** The last position the broker acknowledged (the checkpoint). */
  readonly position: number;
  /** Attempts that failed in a row (0 while publishing); the pause between them grows up to a limit. */
  readonly failures: number;
  readonly failingSince?: string;
  /** The most recent failure, kept after publishing resumed. */
  readonly lastError?: KafkaFailure;
}

export class CheckpointedPublisher {
  private readonly kafka: Kafka;
  private readonly log: MessagingLog;
  private producer: Producer | undefined;
  private topicsReady = false;
  private running: Promise<void> | undefined;
  private stopping = false;
  private failures = 0;
  private failingSince: string | undefined;
  private lastError: KafkaFailure | undefined;
  private acknowledged = 0;
  private publishedMessages = 0;
  private wake: (() => void) | undefined;
  private readonly waiters: PositionWaiters;
  private haltedBy: IntegrityViolation | undefined;

  constructor(
    private readonly source: PublisherSource,
    private readonly checkpoints: Checkpoints,
    private readonly options: CheckpointedPublisherOptions,
  ) {
    this.kafka = createKafka(options);
    this.log = options.log ?? consoleLog;
    this.waiters = new PositionWaiters(`The ${options.label}`, () => this.acknowledged);
  }

  /** Starts from the checkpoint. Needs no broker: until one answers, batches wait and are retried. */
  async start(): Promise<void> {
    this.stopping = false;
    this.haltedBy = undefined;
    this.acknowledged = (await this.checkpoints.get(this.options.checkpointName))?.position ?? 0;
    this.log.log({
      msg: `${this.options.label} started`,
      brokers: this.options.brokers.join(','),
      fromPosition: this.acknowledged,
    });
    this.running = this.run();
  }

  /** The item that failed verification and stopped the publisher, if one did. */
  get halted(): IntegrityViolation | undefined {
    return this.haltedBy;
  }

  /** Position of the last item the broker acknowledged (and the checkpoint holds). */
  get position(): number {
    return this.acknowledged;
  }

  /** Messages acknowledged since start. */
  get published(): number {
    return this.publishedMessages;
  }

  get health(): PublisherHealth {
    const state = this.haltedBy
      ? 'halted'
      : !this.running
        ? 'stopped'
        : this.failures > 0
          ? 'failing'
          : 'publishing';
    return {
      state,
      position: this.acknowledged,
      failures: this.failures,
      ...(this.failures > 0 && this.failingSince ? { failingSince: this.failingSince } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Resolves once everything up to `position` has been acknowledged by the broker. */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  /** Looks for something new now rather than at the next poll. */
  poke(): void {
    if (this.failures === 0) this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // Disconnecting aborts a send stuck on an absent broker; the batch is republished after a restart.
    await Promise.all([this.running, this.discardProducer()]);
    this.running = undefined;
    await this.discardProducer();
  }

  private async run(): Promise<void> {
    let ahead: Promise<PublishBatch | undefined> | undefined;
    while (!this.stopping) {
      try {
        // A read-ahead was taken while the last batch was in flight; when it found nothing, more may
        // have come since: read again now, and sleep only when a fresh read finds nothing.
        const batch = (await ahead) ?? (await this.source.read(this.acknowledged));
        ahead = undefined;
        if (!batch) {
          await this.sleep(this.options.pollIntervalMs ?? 50);
          continue;
        }
        const sent = this.send(batch.messages);
        if (this.options.readAhead && !batch.halt) {
          ahead = afterPendingWrites().then(() => this.source.read(batch.last));
          ahead.catch(() => undefined); // awaited next round; a failure there is handled there
        }
        await sent;
        if (batch.last > this.acknowledged) {
          await this.checkpoints.save(this.options.checkpointName, batch.last);
          this.acknowledge(batch);
        }
        if (batch.halt) {
          this.haltedBy = batch.halt.violation;
          this.log.error({
            msg:
              batch.halt.violation.reason === 'unknown_schema_version'
                ? `${this.options.label} stopped: an event is of a version this release cannot read, and is not published`
                : `${this.options.label} stopped: an event failed verification and is not published`,
            ...batch.halt.violation,
            stoppedAt: this.acknowledged,
            error: batch.halt.message,
          });
          return;
        }
      } catch (error) {
        ahead = undefined;
        this.reportFailure(error);
        await this.sleep(this.retryDelay());
      }
    }
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

  private acknowledge(batch: PublishBatch): void {
    this.acknowledged = batch.last;
    this.publishedMessages += batch.messages.length;
    if (this.failures > 0) {
      this.failures = 0;
      this.log.log({ msg: `${this.options.label} publishing again`, position: batch.last });
    }
    this.waiters.moved();
    this.options.onPublished?.(batch);
  }

  private retryDelay(): number {
    const first = this.options.retryDelayMs ?? 500;
    const most = Math.max(first, this.options.maxRetryDelayMs ?? 5_000);
    return Math.min(most, first * 2 ** Math.min(this.failures - 1, 16));
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
        const created = await ensureTopics(admin, this.options.topics);
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

  // One error line when publishing stops and one info line when it resumes, not one per retry; /health
  // shows the failure meanwhile.
  private reportFailure(error: unknown): void {
    if (this.stopping) return;
    this.failures += 1;
    const failure = kafkaFailureOf(error, this.options);
    this.lastError = failure;
    if (this.failures > 1) return;
    this.failingSince = failure.at;
    this.log.error({
      msg: `${this.options.label} cannot publish; retrying from the checkpoint`,
      position: this.position,
      error: failure.message,
      ...(failure.kind ? { kind: failure.kind, hint: failure.hint } : {}),
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
