// The rebuild's pass in feed order: reads the feed once for every read model being rebuilt, offers each event
// only to the read models that read its type, and folds in memory. Documents are written behind: a new
// generation is read by nobody until it is handed over, so a document is written when it leaves a bounded
// cache or at the end, not after every batch. Most are written once, and those are added in bulk (COPY); one
// written before (it left a full cache and came back) is replaced.
import { upcastEvent } from '@ledger/domain';
import type { EventStore, StoredEvent } from '@ledger/event-store';
import { finishedChange, sharesOf, type DocumentChange, type DocumentStore } from '../projection';
import type { NewGeneration } from './new-generations';
import { WritesBehind } from './writes-behind';

export interface FeedPassOptions {
  /** Events per read. */
  readonly batchSize: number;
  /** Documents per read model kept in memory; changed ones are written when they leave. */
  readonly cacheSize: number;
  /** Where the generations stand already (a stream-by-stream pass before this one): position and events. */
  readonly from?: { readonly position: number; readonly events: number };
}

/** A read model's documents in memory: changed since last written (null: to delete), least recent first. */
interface Cached {
  readonly built: NewGeneration;
  /**
   * Whatever is in the database is older, so a write takes a document out; a document deleted before it was
   * ever written is simply dropped.
   */
  readonly docs: Map<string, unknown>;
}

interface Leaving {
  readonly built: NewGeneration;
  readonly id: string;
  readonly doc: unknown;
}

/**
 * Documents per replacing write, and writes in flight: small statements, a few at a time, keep both cores
 * busy while this process serialises the next. (New documents go in one COPY per write instead.)
 */
const WRITE_CHUNK = 250;
const WRITERS = 3;
/** Batches read ahead of the one being folded, so the database prepares the next while this process folds. */
const READ_AHEAD = 2;

export class FeedPass {
  private readonly cached: readonly Cached[];
  private readonly writes = new WritesBehind(WRITERS);
  /** Cache size from which documents are kept in recency order (half the cache). */
  private readonly orderFrom: number;
  private reached: number;
  private folded: number;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly generations: readonly NewGeneration[],
    private readonly options: FeedPassOptions,
  ) {
    this.cached = generations.map((built) => ({ built, docs: new Map() }));
    this.orderFrom = Math.floor(options.cacheSize / 2);
    this.reached = options.from?.position ?? 0;
    this.folded = options.from?.events ?? 0;
  }

  /** The position of the last event folded. */
  get position(): number {
    return this.reached;
  }

  /** Events folded so far (with those of the pass before, if any). */
  get eventCount(): number {
    return this.folded;
  }

  /**
   * Folds the feed up to `until` (undefined: its end). Reads READ_AHEAD batches ahead, so the database
   * prepares the next ones while this process folds. A read ahead starts where the one before it would end
   * without gaps in positions; a full batch always reaches that far, so a gap only makes two reads overlap
   * (the repeats are skipped). After a short batch (the readable head at that moment) the reads ahead are
   * dropped and start again from where it ended, so an event appended meanwhile below their start is not
   * passed over. `onBatch` is called after each batch folded.
   */
  async follow(until: number | undefined, onBatch?: () => void): Promise<void> {
    const { batchSize } = this.options;
    const ahead: Promise<StoredEvent[]>[] = [];
    let from = this.reached;
    for (;;) {
      for (from = Math.max(from, this.reached); ahead.length < READ_AHEAD; from += batchSize) {
        const read = this.events.readAll({ after: from, limit: batchSize });
        read.catch(() => undefined); // a dropped read may fail unobserved; an awaited one still throws
        ahead.push(read);
      }
      const read = await ahead.shift()!;
      const batch = read.filter(
        (event) => event.position > this.reached && (until === undefined || event.position <= until),
      );
      if (batch.length > 0) {
        await this.foldBatch(batch.map(upcastEvent)); // folded in the current shapes
        onBatch?.();
      }
      if (until !== undefined && read.length > 0 && read[read.length - 1]!.position >= until) break;
      if (read.length < batchSize) {
        if (batch.length === 0) break; // nothing new up to the readable head: caught up
        ahead.length = 0;
        from = this.reached;
      }
    }
  }

  /** Writes every changed document and each read model's checkpoint at the position reached. */
  async flush(): Promise<void> {
    const leaving = this.cached.flatMap(({ built, docs }) =>
      [...docs].map(([id, doc]) => ({ built, id, doc })),
    );
    for (const { docs } of this.cached) docs.clear();
    await this.write(leaving, this.reached);
    await this.writes.settled();
    await this.documents.commitAll(
      this.generations.map((built) => ({
        projection: built.name,
        version: built.projection.version,
        changes: [],
        position: this.reached,
      })),
    );
  }

  private async foldBatch(batch: readonly StoredEvent[]): Promise<void> {
    const shares = sharesOf(
      this.generations.map((built) => built.projection),
      batch,
    );
    for (const [i, cached] of this.cached.entries()) await this.fold(cached, shares[i]!);
    this.reached = batch[batch.length - 1]!.position;
    this.folded += batch.length;
    await this.evict();
  }

  /** Applies a read model's share of a batch to its documents in memory. */
  private async fold({ built, docs }: Cached, share: readonly StoredEvent[]): Promise<void> {
    const { projection, written } = built;
    if (written.size > 0) {
      // Documents that left the cache are read back first (none until the cache overflows).
      const missing = new Set<string>();
      for (const event of share)
        for (const id of projection.documentIds(event)) if (!docs.has(id) && written.has(id)) missing.add(id);
      if (missing.size > 0) {
        await this.writes.settled(); // an evicted document may still be on its way to the database
        const loaded = await this.documents.load(built.name, [...missing]);
        for (const id of missing) docs.set(id, loaded.get(id) ?? null);
      }
    }
    // Recency only matters once the cache can overflow; until then an update keeps its place (no reinsert).
    const ordered = docs.size >= this.orderFrom;
    for (const event of share) {
      for (const id of projection.documentIds(event)) {
        const doc = docs.get(id);
        const next = projection.evolve(doc ?? undefined, event, id);
        if (doc !== undefined && (ordered || next === null)) docs.delete(id); // re-inserted last: most recent
        if (next !== null || written.has(id)) docs.set(id, next);
      }
    }
  }

  /** Takes the least recently used documents out of a full cache and writes them. */
  private async evict(): Promise<void> {
    const { cacheSize } = this.options;
    const leaving: Leaving[] = [];
    for (const { built, docs } of this.cached) {
      if (docs.size <= cacheSize) continue;
      const first = leaving.length;
      let excess = docs.size - Math.floor(cacheSize * 0.8);
      for (const [id, doc] of docs) {
        if (excess-- <= 0) break;
        leaving.push({ built, id, doc });
      }
      for (let i = first; i < leaving.length; i++) docs.delete(leaving[i]!.id);
    }
    await this.write(leaving, this.reached);
  }

  /** Writes documents leaving memory: new ones added by COPY, ones written before replaced. */
  private async write(leaving: readonly Leaving[], at: number): Promise<void> {
    const replaced = leaving.filter(({ built, id }) => built.written.has(id));
    const added = leaving.filter(({ built, id }) => !built.written.has(id));
    // Known to exist from now on, before the write lands: a later miss on one waits for it and reads it back.
    for (const { built, id, doc } of leaving) if (doc !== null) built.written.add(id);
    if (added.length > 0) {
      // Settled and indexed as COPY takes them, while the database takes in the ones before.
      const additions = this.generations.map((built) => ({
        projection: built.name,
        documents: lazily(
          added.filter((c) => c.built === built),
          finished,
        ),
      }));
      await this.writes.launch(() => this.documents.insertNew(additions));
    }
    for (let i = 0; i < replaced.length; i += WRITE_CHUNK) {
      const slice = replaced.slice(i, i + WRITE_CHUNK);
      const commits = this.generations.map((built) => ({
        projection: built.name,
        version: built.projection.version,
        position: at,
        changes: slice.filter((c) => c.built === built).map(finished),
      }));
      await this.writes.launch(() => this.documents.commitAll(commits.filter((c) => c.changes.length > 0)));
    }
  }
}

const finished = ({ built, id, doc }: Leaving): DocumentChange => finishedChange(built.projection, id, doc);

function* lazily<T, U>(items: readonly T[], map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}
