// Feeds read models from the store's global feed, batch by batch, each with its own checkpoint.
import type { EventStore, StoredEvent, Subscription } from '@ledger/event-store';
import type { DocumentChange, DocumentStore, Projection } from './projection';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
}

export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private readonly started: number[] = [];

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly projections: readonly Projection<unknown>[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  /** Starts following the feed from the lowest checkpoint; a projection whose version changed starts over. */
  async start(): Promise<void> {
    if (this.projections.length === 0) throw new Error('No read models to run');
    for (const projection of this.projections) {
      const checkpoint = await this.documents.checkpoint(projection.name);
      if (checkpoint && checkpoint.version !== projection.version) await this.documents.reset(projection.name);
      this.started.push(checkpoint && checkpoint.version === projection.version ? checkpoint.position : 0);
    }
    const positions = [...this.started];
    this.subscription = this.events.subscribe({
      after: Math.min(...positions),
      batchSize: this.options.batchSize ?? 500,
      onError: this.options.onError,
      handler: async (batch) => {
        for (const [i, projection] of this.projections.entries()) {
          // A projection ahead of the others skips what it has already applied.
          const fresh = batch.filter((event) => event.position > positions[i]!);
          if (fresh.length === 0) continue;
          await applyBatch(this.documents, projection, fresh);
          positions[i] = fresh[fresh.length - 1]!.position;
        }
      },
    });
  }

  /** Position of the last event every read model has applied. */
  get position(): number {
    return this.subscription?.position ?? 0;
  }

  /** Resolves once every read model has applied the event at `position` (read-your-writes). */
  waitFor(position: number, timeoutMs?: number): Promise<void> {
    if (!this.subscription) return Promise.reject(new Error('Projections are not running'));
    return this.subscription.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}

/** Applies a batch to one read model: load the touched documents, fold, save with the checkpoint. */
export async function applyBatch(documents: DocumentStore, projection: Projection<unknown>, batch: readonly StoredEvent[]): Promise<void> {
  const touched = new Set<string>();
  for (const event of batch) for (const key of projection.keysOf(event)) touched.add(key);
  const current = touched.size > 0 ? await documents.load(projection.name, [...touched]) : new Map<string, unknown>();
  const next = new Map<string, unknown | null>(current);
  for (const event of batch) {
    for (const key of projection.keysOf(event)) {
      const doc = next.get(key);
      next.set(key, projection.evolve(doc === null ? undefined : doc, event, key));
    }
  }
  const changes: DocumentChange[] = [...touched].map((id) => {
    const doc = next.get(id) ?? null;
    return { id, doc, index: doc === null ? undefined : projection.index(doc) };
  });
  await documents.commit(projection.name, projection.version, changes, batch[batch.length - 1]!.position);
}
