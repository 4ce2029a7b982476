// Publishes the stored digests to Kafka (credit.digests.v1), so outside parties hold copies the ledger's
// operators cannot change. Follows the digest table from a checkpoint that moves only after the broker
// acknowledged: a crash or an outage republishes (at-least-once, deduplicated by toPosition), never skips.
import type { DigestStore, LedgerDigest } from '@ledger/audit';
import {
  createKafka,
  type KafkaSecurity,
  ensureTopics,
  topicConfigs,
  topicNames,
  type MessagingLog,
  type TopicNames,
} from '@ledger/messaging';
import type { DocumentStore } from '@ledger/projections';
import type { Producer } from 'kafkajs';

export interface DigestRelayOptions extends KafkaSecurity {
  readonly brokers: readonly string[];
  readonly topics?: Partial<TopicNames>;
  readonly log: MessagingLog;
  readonly pollIntervalMs?: number;
  readonly retryDelayMs?: number;
  /** Name of the relay's checkpoint in the document store. */
  readonly checkpointName?: string;
}

/**
 * The message: the fields of docs/asyncapi.yaml's LedgerDigest (a digest covers the feed from its start,
 * so fromPosition is always 1) and the digest itself (upToPosition, eventCount), key `1-<toPosition>`.
 */
export function digestMessage(digest: LedgerDigest): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  const { upToPosition, eventCount, root, algorithm, createdAt } = digest;
  return {
    key: `1-${upToPosition}`,
    value: JSON.stringify({
      fromPosition: 1,
      toPosition: upToPosition,
      upToPosition,
      eventCount,
      root,
      algorithm,
      createdAt,
    }),
    headers: { 'content-type': 'application/json' },
  };
}

export class DigestRelay {
  private producer: Producer | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private published = 0;
  private readonly topic: string;
  private readonly checkpointName: string;

  constructor(
    private readonly digests: DigestStore,
    private readonly documents: DocumentStore,
    private readonly options: DigestRelayOptions,
  ) {
    this.topic = topicNames(options.topics).digests;
    this.checkpointName = options.checkpointName ?? 'digest_relay';
  }

  /** upToPosition of the last digest the broker acknowledged. */
  get position(): number {
    return this.published;
  }

  async start(): Promise<void> {
    this.published = (await this.documents.checkpoint(this.checkpointName))?.position ?? 0;
    this.running = this.run();
  }

  /** Looks for new digests now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.producer?.disconnect().catch(() => undefined);
    await this.running;
    this.producer = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const pending = await this.digests.list({ afterPosition: this.published, limit: 100 });
        if (pending.length > 0) {
          const producer = await this.connected();
          await producer.send({ topic: this.topic, messages: pending.map(digestMessage), acks: -1 });
          const last = pending[pending.length - 1]!.upToPosition;
          await this.documents.commit(this.checkpointName, 1, [], last);
          this.published = last;
          this.options.log.log({
            msg: 'digests published',
            topic: this.topic,
            upToPosition: last,
            count: pending.length,
          });
          continue;
        }
        await this.sleep(this.options.pollIntervalMs ?? 1000);
      } catch (error) {
        this.options.log.warn({
          msg: 'digest publication failed; retrying',
          error: (error as Error).message,
        });
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await this.sleep(this.options.retryDelayMs ?? 1000);
      }
    }
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const kafka = createKafka({
      brokers: this.options.brokers,
      ssl: this.options.ssl,
      sasl: this.options.sasl,
      log: this.options.log,
      clientId: 'credit-ledger-digests',
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(
        admin,
        topicConfigs(topicNames({ ...this.options.topics })).filter((t) => t.topic === this.topic),
      );
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
