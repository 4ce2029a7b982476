// What /health answers, in the API and in the worker alike: the event store answers, how far the read
// models lag behind it, and, where this process runs the followers, how its link to Kafka is (the relay,
// the feedback consumer, digest publishing): a wrong password or a missing ACL shows here with a hint,
// while the ledger keeps answering (Kafka failing is a detail, not a 503: the store is the outbox); and which
// followers an event that failed verification stopped. A stopped follower leaves the status `ok` (200) too:
// restarting the process would not repair the row, only loop.
import type { EventStore } from '@ledger/event-store';
import type { MessagingHealth, PublisherHealth } from '@ledger/messaging';
import type { FollowerHalt } from './followers';
import type { ReadModelProgress } from './read-model-progress';
import type { LeaseState } from './follower-lease';

export type KafkaHealth =
  | { readonly status: 'off' }
  | (Exclude<MessagingHealth, { status: 'off' }> & { readonly digestPublisher?: PublisherHealth });

export type HealthReport =
  | {
      readonly status: 'ok';
      readonly store: { readonly kind: string; readonly reachable: true; readonly headPosition: number };
      readonly readModels: { readonly position: number; readonly positionsBehind: number };
      /** Absent where this process runs no followers (LEDGER_WORKERS=off) or before they started. */
      readonly kafka?: KafkaHealth;
      /** `halted`: followers stopped at an event that failed verification (tampering), with that event. */
      readonly integrity: { readonly status: 'ok' | 'halted'; readonly halted: readonly FollowerHalt[] };
      /**
       * On PostgreSQL with followers: the followers' lease as this process holds it (`held`, with the fencing
       * token) or waits for it (`standby`); which followers run here: all of them while held, none else.
       */
      readonly lease?: LeaseState & { readonly followers: readonly string[] };
    }
  | {
      readonly status: 'unavailable';
      readonly store: { readonly kind: string; readonly reachable: false; readonly error: string };
    };

/** What the followers' lease covers. */
const FOLLOWERS = [
  'read-models',
  'deadline-scheduler',
  'case-initiator',
  'relay',
  'feedback-consumer',
  'list-history',
  'digester',
  'digest-publisher',
] as const;

export async function checkHealth(
  store: EventStore,
  readModels: ReadModelProgress,
  kafka: () => KafkaHealth | undefined = () => undefined,
  halted: readonly FollowerHalt[] = [],
  lease?: LeaseState,
): Promise<HealthReport> {
  try {
    await store.ping();
    const headPosition = await store.headPosition();
    const position = await readModels.position();
    const link = kafka();
    return {
      status: 'ok',
      store: { kind: store.kind, reachable: true, headPosition },
      readModels: { position, positionsBehind: Math.max(0, headPosition - position) },
      ...(link ? { kafka: link } : {}),
      integrity: { status: halted.length > 0 ? 'halted' : 'ok', halted },
      ...(lease ? { lease: { ...lease, followers: lease.state === 'held' ? FOLLOWERS : [] } } : {}),
    };
  } catch (error) {
    return {
      status: 'unavailable',
      store: { kind: store.kind, reachable: false, error: (error as Error).message },
    };
  }
}
