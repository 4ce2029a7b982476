// The outbox relay: follows the store's global feed from its checkpoint and publishes every event to
// Kafka through the checkpointed publisher loop, so the checkpoint moves only after the broker
// acknowledged the whole batch: a crash or an outage means republishing (at-least-once; consumers
// deduplicate by CloudEvent id), never a gap.
import { upcastEvent } from '@ledger/domain';
import {
  FeedIntegrityError,
  FeedVerifier,
  type EventSigning,
  type EventStore,
  type IntegrityViolation,
} from '@ledger/event-store';
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
  /**
   * The keys events are signed with (default: the development key). Every event is checked before it is
   * published; the first that fails stops the relay there (`halted`) and is never published.
   */
  readonly signing?: EventSigning | null;
}

export class KafkaRelay {
  private readonly facts: StreamFacts;
  private readonly context: MessageContext;
  private readonly publisher: CheckpointedPublisher;
  private readonly verifier: FeedVerifier;

  constructor(
    private readonly store: EventStore,
    checkpoints: Checkpoints,
    private readonly options: RelayOptions,
  ) {
    const topics = topicNames(options.topics);
    this.facts = new StreamFacts(store);
    this.verifier = new FeedVerifier(store, { signing: options.signing, upcast: upcastEvent });
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

  /** The event that failed verification and stopped the relay, if one did. */
  get halted(): IntegrityViolation | undefined {
    return this.publisher.halted;
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
    const read = await this.store.readAll({ after, limit: this.options.batchSize ?? 1000 });
    if (read.length === 0) return undefined;
    const { verified: events, violation } = await this.verifier.verify(read);
    const messages: OutgoingMessage[] = [];
    for (const event of events) {
      const facts = this.facts.known(event) ?? (await this.facts.of(event));
      messages.push(...messagesFor(event, facts, this.context));
    }
    const last = events.length > 0 ? events[events.length - 1]!.position : after;
    return { last, messages, halt: violation && new FeedIntegrityError(violation, last) };
  }
}
