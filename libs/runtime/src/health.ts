// What /health answers, in the API and in the worker alike: the event store answers, and how far the read
// models lag behind it.
import type { EventStore } from '@ledger/event-store';
import type { ReadModelProgress } from './read-model-progress';

export type HealthReport =
  | {
      readonly status: 'ok';
      readonly store: { readonly kind: string; readonly reachable: true; readonly headPosition: number };
      readonly readModels: { readonly position: number; readonly positionsBehind: number };
    }
  | {
      readonly status: 'unavailable';
      readonly store: { readonly kind: string; readonly reachable: false; readonly error: string };
    };

export async function checkHealth(store: EventStore, readModels: ReadModelProgress): Promise<HealthReport> {
  try {
    await store.ping();
    const headPosition = await store.headPosition();
    const position = await readModels.position();
    return {
      status: 'ok',
      store: { kind: store.kind, reachable: true, headPosition },
      readModels: { position, positionsBehind: Math.max(0, headPosition - position) },
    };
  } catch (error) {
    return {
      status: 'unavailable',
      store: { kind: store.kind, reachable: false, error: (error as Error).message },
    };
  }
}
