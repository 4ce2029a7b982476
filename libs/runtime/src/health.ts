// What /health answers, in the API and in the worker alike: the event store answers, how far the read
// models lag behind it, and which followers an event that failed verification stopped. A stopped follower
// leaves the status `ok` (200): restarting the process would not repair the row, only loop.
import type { EventStore } from '@ledger/event-store';
import type { FollowerHalt } from './followers';
import type { ReadModelProgress } from './read-model-progress';

export type HealthReport =
  | {
      readonly status: 'ok';
      readonly store: { readonly kind: string; readonly reachable: true; readonly headPosition: number };
      readonly readModels: { readonly position: number; readonly positionsBehind: number };
      /** `halted`: followers stopped at an event that failed verification (tampering), with that event. */
      readonly integrity: { readonly status: 'ok' | 'halted'; readonly halted: readonly FollowerHalt[] };
    }
  | {
      readonly status: 'unavailable';
      readonly store: { readonly kind: string; readonly reachable: false; readonly error: string };
    };

export async function checkHealth(
  store: EventStore,
  readModels: ReadModelProgress,
  halted: readonly FollowerHalt[] = [],
): Promise<HealthReport> {
  try {
    await store.ping();
    const headPosition = await store.headPosition();
    const position = await readModels.position();
    return {
      status: 'ok',
      store: { kind: store.kind, reachable: true, headPosition },
      readModels: { position, positionsBehind: Math.max(0, headPosition - position) },
      integrity: { status: halted.length > 0 ? 'halted' : 'ok', halted },
    };
  } catch (error) {
    return {
      status: 'unavailable',
      store: { kind: store.kind, reachable: false, error: (error as Error).message },
    };
  }
}
