// Feeds read models from the store's global feed. Each batch is folded into every read model in memory,
// then written in one load and one atomic commit with every checkpoint, so a crash mid-batch never
// applies an event twice and the cost per batch does not grow with the number of read models.
import { upcastEvent } from '@ledger/domain';
import {
  FeedIntegrityError,
  FeedVerifier,
  type EventSigning,
  type EventStore,
  type IntegrityViolation,
  type StoredEvent,
  type Subscription,
} from '@ledger/event-store';
import {
  finishedChange,
  readsType,
  type DocumentChange,
  type DocumentStore,
  type Projection,
  type ProjectionCommit,
} from './projection';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  /** Gathers live appends for this long before a read, so busy periods make fewer, larger batches. */
  readonly coalesceMs?: number;
  readonly onError?: (error: unknown) => void;
  /**
   * The keys events are signed with (default: the development key). Every event is checked (hash, chain
   * link, signature) before it is folded; the first that fails stops the runner there (`halted`).
   */
  readonly signing?: EventSigning | null;
}

export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private haltedBy: IntegrityViolation | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly projections: readonly Projection<unknown>[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  /** Starts following the feed from the lowest checkpoint; a projection whose version changed starts over. */
  async start(): Promise<void> {
    if (this.projections.length === 0) throw new Error('No read models to run');
    const positions: number[] = [];
    for (const projection of this.projections) {
      const checkpoint = await this.documents.checkpoint(projection.name);
      const current = checkpoint?.version === projection.version;
      if (checkpoint && !current) await this.documents.reset(projection.name);
      positions.push(current ? checkpoint.position : 0);
    }
    const verifier = new FeedVerifier(this.events, { signing: this.options.signing, upcast: upcastEvent });
    this.haltedBy = undefined;
    this.subscription = this.events.subscribe({
      after: Math.min(...positions),
      batchSize: this.options.batchSize ?? 1000,
      minIntervalMs: this.options.coalesceMs ?? 20,
      onError: (error) => {
        if (error instanceof FeedIntegrityError) this.haltedBy = error.violation;
        this.options.onError?.(error);
      },
      handler: (batch) =>
        verifier.pass(batch, async (verified) => {
          // A read model ahead of the others skips what it has already applied.
          const due = this.projections.map((projection, i) =>
            verified.filter((event) => event.position > positions[i]!),
          );
          await applyBatchToAll(this.documents, this.projections, due);
          due.forEach((events, i) => {
            if (events.length > 0) positions[i] = events[events.length - 1]!.position;
          });
        }),
    });
  }

  /** The event that failed verification and stopped the runner, if one did. */
  get halted(): IntegrityViolation | undefined {
    return this.haltedBy;
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

/** Applies each read model its share of a batch (`batches[i]` for `projections[i]`), in one load and one commit. */
export async function applyBatchToAll(
  documents: DocumentStore,
  projections: readonly Projection<unknown>[],
  batches: readonly (readonly StoredEvent[])[],
): Promise<void> {
  const shares = projections.map((projection, i) =>
    batches[i]!.filter((event) => readsType(projection, event.type)),
  );
  const touched = projections.map((projection, i) => {
    const keys = new Set<string>();
    for (const event of shares[i]!) for (const key of projection.documentIds(event)) keys.add(key);
    return keys;
  });
  const requests = new Map(
    projections.flatMap((p, i) => (touched[i]!.size > 0 ? [[p.name, [...touched[i]!]] as const] : [])),
  );
  const loaded =
    requests.size > 0 ? await documents.loadAll(requests) : new Map<string, Map<string, unknown>>();
  const commits: ProjectionCommit[] = projections.flatMap((projection, i) => {
    // The checkpoint moves past the whole batch, even when none of it was for this read model.
    const events = batches[i]!;
    if (events.length === 0) return [];
    const docs = new Map<string, unknown | null>(loaded.get(projection.name) ?? []);
    for (const event of shares[i]!) {
      for (const key of projection.documentIds(event)) {
        const doc = docs.get(key);
        docs.set(key, projection.evolve(doc === null ? undefined : doc, event, key));
      }
    }
    const changes: DocumentChange[] = [...touched[i]!].map((id) =>
      finishedChange(projection, id, docs.get(id) ?? null),
    );
    return [
      {
        projection: projection.name,
        version: projection.version,
        changes,
        position: events[events.length - 1]!.position,
      },
    ];
  });
  await documents.commitAll(commits);
}

/** Applies a batch to one read model (rebuilds, tests). */
export function applyBatch(
  documents: DocumentStore,
  projection: Projection<unknown>,
  batch: readonly StoredEvent[],
): Promise<void> {
  return applyBatchToAll(documents, [projection], [batch]);
}
