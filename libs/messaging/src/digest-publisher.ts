// Publishes the ledger's stored digests to Kafka (credit.digests.v1), so outside parties hold copies the
// ledger's operators cannot change. Follows the digest store from its checkpoint through the checkpointed
// publisher loop: a crash or an outage republishes (at-least-once, deduplicated by toPosition), never skips.
import type { Checkpoints } from '@ledger/projections';
import { CheckpointedPublisher, type PublisherHealth, type PublisherTiming } from './checkpointed-publisher';
import type { KafkaConnection } from './kafka-client';
import type { OutgoingMessage } from './relay-messages';
import { topicConfigs, topicNames, type TopicNames, type TopicSettings } from './topics';

/** A digest as docs/asyncapi.yaml's LedgerDigest carries it (the audit layer's `LedgerDigest`). */
export interface PublishedDigest {
  readonly upToPosition: number;
  readonly eventCount: number;
  readonly root: string;
  readonly algorithm: string;
  readonly createdAt: string;
  /** The Ed25519 signature and its key id (docs/ledger-proofs.md §4), on digests made since they are signed. */
  readonly keyId?: string;
  readonly signature?: string;
}

/** Where digests are kept, oldest first (the audit layer's `DigestStore`). */
export interface DigestSource {
  list(options: {
    readonly afterPosition: number;
    readonly limit: number;
  }): Promise<readonly PublishedDigest[]>;
}

export interface DigestPublisherOptions extends KafkaConnection, PublisherTiming {
  readonly topics?: Partial<TopicNames>;
  readonly topicSettings?: TopicSettings;
  /** Name of the publisher's checkpoint. */
  readonly checkpointName?: string;
}

/**
 * The message: the fields of docs/asyncapi.yaml's LedgerDigest (a digest covers the feed from its start,
 * so fromPosition is always 1) and the digest itself (upToPosition, eventCount), key `1-<toPosition>`.
 */
export function digestMessage(topic: string, digest: PublishedDigest): OutgoingMessage {
  const { upToPosition, eventCount, root, algorithm, createdAt, keyId, signature } = digest;
  return {
    topic,
    key: `1-${upToPosition}`,
    value: JSON.stringify({
      fromPosition: 1,
      toPosition: upToPosition,
      upToPosition,
      eventCount,
      root,
      algorithm,
      createdAt,
      ...(keyId && signature ? { keyId, signature } : {}),
    }),
    headers: { 'content-type': 'application/json' },
  };
}

export class DigestPublisher {
  private readonly publisher: CheckpointedPublisher;

  constructor(digests: DigestSource, checkpoints: Checkpoints, options: DigestPublisherOptions) {
    const topic = topicNames(options.topics).digests;
    const log = options.log;
    this.publisher = new CheckpointedPublisher(
      {
        read: async (after) => {
          const pending = await digests.list({ afterPosition: after, limit: 100 });
          if (pending.length === 0) return undefined;
          return {
            last: pending[pending.length - 1]!.upToPosition,
            messages: pending.map((digest) => digestMessage(topic, digest)),
          };
        },
      },
      checkpoints,
      {
        ...options,
        clientId: options.clientId ?? 'credit-ledger-digests',
        checkpointName: options.checkpointName ?? 'digest_relay',
        label: 'digest publisher',
        topics: topicConfigs(topicNames(options.topics), options.topicSettings).filter(
          (config) => config.topic === topic,
        ),
        pollIntervalMs: options.pollIntervalMs ?? 1000,
        retryDelayMs: options.retryDelayMs ?? 1000,
        onPublished: (batch) =>
          log?.log({
            msg: 'digests published',
            topic,
            upToPosition: batch.last,
            count: batch.messages.length,
          }),
      },
    );
  }

  /** upToPosition of the last digest the broker acknowledged. */
  get position(): number {
    return this.publisher.position;
  }

  /** State, checkpoint and last failure, for /health. */
  get health(): PublisherHealth {
    return this.publisher.health;
  }

  start(): Promise<void> {
    return this.publisher.start();
  }

  /** Looks for new digests now rather than at the next poll (after a digest was made). */
  poke(): void {
    this.publisher.poke();
  }

  waitFor(upToPosition: number, timeoutMs?: number): Promise<void> {
    return this.publisher.waitFor(upToPosition, timeoutMs);
  }

  stop(): Promise<void> {
    return this.publisher.stop();
  }
}
