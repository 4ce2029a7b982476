// The outbox relay: follows the store's global feed from its checkpoint and publishes every event to
// Kafka through the checkpointed publisher loop, so the checkpoint moves only after the broker
// acknowledged the whole batch: a crash or an outage means republishing (at-least-once; consumers
// deduplicate by CloudEvent id), never a gap.
import type { EventStore } from '@ledger/event-store';
import type { Checkpoints } from '@ledger/projections';
import {
  CheckpointedPublisher,
  type PublishBatch,
  type PublisherHealth,
  type PublisherTiming,
} from './checkpointed-publisher';
import { DEFAULT_SOURCE } from './cloud-events';
import type { KafkaConnection } from './kafka-client';
import { messagesFor, type MessageContext, type OutgoingMessage } from './relay-messages';
import { StreamFacts } from './stream-facts';
import { topicConfigs, topicNames, type TopicNames, type TopicSettings } from './topics';

export interface RelayOptions extends KafkaConnection, PublisherTiming {
  readonly topics?: Partial<TopicNames>;
  readonly topicSettings?: TopicSettings;
  /** CloudEvents `source` of everything this ledger publishes. */
  readonly source?: string;
  /** Events read and published per round trip. */
  readonly batchSize?: number;
  /** Name of the relay's checkpoint. */
  readonly checkpointName?: string;
}

export class KafkaRelay {
  private readonly facts: StreamFacts;
  private readonly context: MessageContext;
  private readonly publisher: CheckpointedPublisher;

  constructor(
    private readonly store: EventStore,
    checkpoints: Checkpoints,
    private readonly options: RelayOptions,
  ) {
    const topics = topicNames(options.topics);
    this.facts = new StreamFacts(store);
    this.context = { topics, source: options.source ?? DEFAULT_SOURCE };
    this.publisher = new CheckpointedPublisher({ read: (after) => this.prepare(after) }, checkpoints, {
      ...options,
      checkpointName: options.checkpointName ?? 'relay',
      label: 'relay',
      topics: topicConfigs(topics, options.topicSettings),
      readAhead: true,
      pollIntervalMs: options.pollIntervalMs ?? 50,
      retryDelayMs: options.retryDelayMs ?? 500,
    });
  }

  /** Starts following the feed. Needs no broker: until one answers, batches wait and are retried. */
  start(): Promise<void> {
    return this.publisher.start();
  }

  /** Position of the last event the broker acknowledged (and the checkpoint holds). */
  get position(): number {
    return this.publisher.position;
  }

  /** Messages acknowledged since start (an event can be more than one message). */
  /** State, checkpoint and last failure, for /health. */
  get health(): PublisherHealth {
    return this.publisher.health;
  }

  get published(): number {
    return this.publisher.published;
  }

  /** Resolves once everything up to `position` has been acknowledged by the broker. */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    return this.publisher.waitFor(position, timeoutMs);
  }

  stop(): Promise<void> {
    return this.publisher.stop();
  }

  private async prepare(after: number): Promise<PublishBatch | undefined> {
    const events = await this.store.readAll({ after, limit: this.options.batchSize ?? 1000 });
    if (events.length === 0) return undefined;
    const messages: OutgoingMessage[] = [];
    for (const event of events) {
      const facts = this.facts.known(event) ?? (await this.facts.of(event));
      messages.push(...messagesFor(event, facts, this.context));
    }
    return { last: events[events.length - 1]!.position, messages };
  }
}
