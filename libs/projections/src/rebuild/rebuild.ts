// Rebuilds read models from zero beside the live ones: one pass over the events up to the head feeds every
// read model being rebuilt into a new generation; then the generation is handed to the live runner
// (which catches it up and switches) or, with nothing running, switched to at once.
//
// Where the store offers it (PostgreSQL, SQLite), the pass reads stream by stream: read models whose
// documents each belong to one stream get every stream's documents final when it ends, and write them while
// the rest is read (one COPY per few thousand documents), holding one stream's documents at a time instead
// of every document until the end. Read models that gather many streams' events (per department and month)
// fold each stream apart in the same pass and merge (`merge`). If any read model can do neither, the whole
// pass follows the feed in order.
import { offersRebuildReads, type EventStore, type StoredEvent } from '@ledger/event-store';
import { sharesOf, type DocumentChange, type DocumentStore, type Projection } from '../projection';
import { foldStreams } from './stream-pass';
import { WritesBehind } from './writes-behind';
import { physicalName, readPointers, switched, writePointer, type GenerationPointer } from './generations';

export interface RebuildProgress {
  /** In feed order, the position reached; stream by stream, the events folded so far (at most the head). */
  readonly position: number;
  readonly head: number;
  readonly events: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export interface RebuildOptions {
  /** Events per read. Default: `STREAM_PAGE` stream by stream, 1,000 in feed order. */
  readonly batchSize?: number;
  /**
   * `handover` (default): mark the new generations ready; the process running the projections switches
   * to them once its runner has reached the rebuilt position. `now`: catch up to the end of the feed and
   * switch here (only when no projection runner is running).
   */
  readonly switchMode?: 'handover' | 'now';
  /** Documents per read model kept in memory while rebuilding; changed ones are written when they leave. */
  readonly cacheSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildReport {
  readonly projections: ReadonlyArray<{
    readonly name: string;
    readonly generation: number;
    readonly replaced: number;
    readonly documentsWritten: number;
  }>;
  readonly events: number;
  readonly upToPosition: number;
  readonly durationMs: number;
  /** Of which the pass over the feed up to the head at the start; the rest is writing and switching. */
  readonly passMs: number;
  readonly eventsPerSecond: number;
  readonly switched: boolean;
}

interface Target {
  readonly projection: Projection<unknown>;
  readonly name: string;
  readonly generation: number;
  readonly pointer: GenerationPointer;
  /**
   * Documents changed since they were last written (null: to delete), least recently used first. Whatever
   * is in the database is older, so a write takes a document out; an id neither here nor written does not
   * exist, so a document deleted before it was ever written is simply dropped.
   */
  readonly cache: Map<string, unknown>;
  /** Ids written at least once: a cache miss on any other id needs no database read. */
  readonly written: Set<string>;
  /** Cache size from which documents are kept in recency order (half the cache). */
  readonly orderFrom: number;
}

interface Leaving {
  readonly target: Target;
  readonly id: string;
  readonly doc: unknown;
}

/**
 * Documents per replacing write, and writes in flight: small statements, three at a time, keep both cores
 * busy while this process serialises the next. (New documents go in one COPY per write instead.)
 */
const WRITE_CHUNK = 250;
const WRITERS = 3;
/**
 * Events per read stream by stream. Each event is folded as it arrives, so a page holds no memory; the next
 * one is asked for once it has ended (its last event is where the next starts), a round trip each: 50 at 1M.
 */
export const STREAM_PAGE = 20_000;
/** Batches read ahead of the one being folded (one left the database idle a tenth of the pass). */
const READ_AHEAD = 2;

/** `documents` is the plain store (physical names); the live read path uses GenerationalDocumentStore. */
export async function rebuildProjections(
  events: EventStore,
  documents: DocumentStore,
  projections: readonly Projection<unknown>[],
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const started = performance.now();
  // In feed order, small batches: a batch of 5,000 rows outlives the young generation, and promoting it cost
  // more garbage collection than the extra round trips (hidden by reading two ahead) cost.
  const batchSize = options.batchSize ?? 1000;
  // Per read model. At 50,000 the deadlines of 1M events (60,000 live documents) overflowed it, and churning
  // documents out and back in cost more than the memory a larger cache holds (most documents are small).
  const cacheSize = options.cacheSize ?? 200_000;
  const pointers = await readPointers(
    documents,
    projections.map((p) => p.name),
  );

  const targets: Target[] = [];
  const unread: string[] = [];
  for (const projection of projections) {
    const pointer = pointers.get(projection.name)!;
    // Whatever is neither live nor the rollback generation goes: earlier garbage, crashed or superseded builds.
    // It stays listed as garbage until the new generation is ready, so a crash leaves it for the next rebuild.
    const drop = [...new Set([...pointer.garbage, pointer.building, pointer.next?.generation])].filter(
      (g): g is number => g !== null && g !== undefined && g !== pointer.live && g !== pointer.previous,
    );
    unread.push(...drop.map((g) => physicalName(projection.name, g)));
    const generation = pointer.highest + 1;
    const building: GenerationPointer = {
      ...pointer,
      building: generation,
      next: null,
      garbage: drop,
      highest: generation,
    };
    await writePointer(documents, building);
    const name = physicalName(projection.name, generation);
    await documents.reset(name);
    await documents.commit(name, projection.version, [], 0);
    targets.push({
      projection,
      name,
      generation,
      pointer: building,
      cache: new Map(),
      written: new Set(),
      orderFrom: Math.floor(cacheSize / 2),
    });
  }

  let head = await events.headPosition();
  let position = 0;
  let count = 0;
  // Writes in flight (distinct documents each).
  const writes = new WritesBehind(WRITERS);
  const settled = () => writes.settled();
  const progress = (reached = position) => {
    const elapsedMs = performance.now() - started;
    options.onProgress?.({
      position: reached,
      head,
      events: count,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? Math.round((count / elapsedMs) * 1000) : 0,
    });
  };

  /** A document as it is written: settled and indexed. */
  const finished = ({ target, id, doc: folded }: Leaving): DocumentChange => {
    const doc = folded === null || !target.projection.settle ? folded : target.projection.settle(folded);
    return { id, doc, index: doc === null ? undefined : target.projection.index(doc) };
  };

  /**
   * Writes documents behind: a new generation is read by nobody until it is handed over, so a document is
   * written when it leaves the cache or at the end, not after every batch. Most are written once, and those
   * are added in bulk (COPY); one written before (it left a full cache and came back) is replaced.
   */
  const write = async (leaving: readonly Leaving[], at: number) => {
    const replaced = leaving.filter(({ target, id }) => target.written.has(id));
    const added = leaving.filter(({ target, id }) => !target.written.has(id));
    // Known to exist from now on, before the write lands: a later miss on one waits for it and reads it back.
    for (const { target, id, doc } of leaving) if (doc !== null) target.written.add(id);
    if (added.length > 0) {
      // Settled and indexed as COPY takes them, while the database takes in the ones before.
      const additions = targets.map((target) => ({
        projection: target.name,
        documents: lazily(
          added.filter((c) => c.target === target),
          finished,
        ),
      }));
      await writes.launch(() => documents.insertNew(additions));
    }
    for (let i = 0; i < replaced.length; i += WRITE_CHUNK) {
      const slice = replaced.slice(i, i + WRITE_CHUNK);
      const commits = targets.map((target) => ({
        projection: target.name,
        version: target.projection.version,
        position: at,
        changes: slice.filter((c) => c.target === target).map(finished),
      }));
      await writes.launch(() => documents.commitAll(commits.filter((c) => c.changes.length > 0)));
    }
  };

  /** Takes the least recently used documents out of a full cache and writes them. */
  const evict = async (at: number) => {
    const leaving: Leaving[] = [];
    for (const target of targets) {
      if (target.cache.size <= cacheSize) continue;
      let excess = target.cache.size - Math.floor(cacheSize * 0.8);
      for (const [id, doc] of target.cache) {
        if (excess-- <= 0) break;
        leaving.push({ target, id, doc });
      }
    }
    for (const { target, id } of leaving) target.cache.delete(id);
    await write(leaving, at);
  };

  /**
   * Reads READ_AHEAD batches ahead, so the database prepares the next ones while this process folds. A read
   * ahead starts where the one before it would end without gaps in positions; a full batch always reaches
   * that far, so a gap only makes two reads overlap (the repeats are skipped). After a short batch (the
   * readable head at that moment) the reads ahead are dropped and start again from where it ended, so an
   * event appended meanwhile below their start is not passed over.
   */
  const catchUp = async (until: number | undefined) => {
    const ahead: Promise<StoredEvent[]>[] = [];
    let from = position;
    const readAhead = () => {
      for (from = Math.max(from, position); ahead.length < READ_AHEAD; from += batchSize) {
        const read = events.readAll({ after: from, limit: batchSize });
        read.catch(() => undefined); // a dropped read may fail unobserved; an awaited one still throws
        ahead.push(read);
      }
    };
    for (readAhead(); ; readAhead()) {
      const read = await ahead.shift()!;
      const batch = read.filter(
        (event) => event.position > position && (until === undefined || event.position <= until),
      );
      if (batch.length > 0) {
        const shares = sharesOf(projections, batch);
        for (const [i, target] of targets.entries()) await fold(target, shares[i]!, documents, settled);
        position = batch[batch.length - 1]!.position;
        count += batch.length;
        await evict(position);
        progress();
      }
      if (until !== undefined && read.length > 0 && read[read.length - 1]!.position >= until) break;
      if (read.length < batchSize) {
        if (batch.length === 0) break; // nothing new up to the readable head: caught up
        ahead.length = 0;
        from = position;
      }
    }
  };

  /** Writes every changed document and each read model's checkpoint at the position reached. */
  const flush = async () => {
    const leaving = targets.flatMap((target) => [...target.cache].map(([id, doc]) => ({ target, id, doc })));
    for (const target of targets) target.cache.clear();
    await write(leaving, position);
    await settled();
    await documents.commitAll(
      targets.map((t) => ({ projection: t.name, version: t.projection.version, changes: [], position })),
    );
  };

  // The unread generations are dropped while the pass runs, one after another on one connection: deleting one
  // generation of 160,006 documents took PostgreSQL 1.9 s, which the rebuild used to wait for before reading.
  const dropped = (async () => {
    for (const name of unread) await documents.reset(name);
  })();
  dropped.catch(() => undefined); // awaited after the pass, or before its failure is thrown
  // Stream by stream when the store offers it and every read model can be (else in feed order).
  const byStream = (target: Target) =>
    target.projection.perStream === true || target.projection.merge !== undefined;
  try {
    if (offersRebuildReads(events) && targets.every(byStream)) {
      await foldStreams(events, documents, targets, {
        until: head,
        pageSize: options.batchSize ?? STREAM_PAGE,
        onProgress: (folded) => {
          count = folded;
          progress(Math.min(count, head));
        },
      });
      position = head;
    } else await catchUp(head);
  } catch (error) {
    await dropped.catch(() => undefined); // nothing of this rebuild still runs when it throws
    throw error;
  }
  const passMs = performance.now() - started;
  await dropped; // a failed drop fails the rebuild; the pointers still list what is left to drop
  /** The pointer saying the new generation is built up to `position`, ready to be switched to. */
  const ready = (target: Target): GenerationPointer => ({
    ...target.pointer,
    building: null,
    garbage: [],
    next: {
      generation: target.generation,
      version: target.projection.version,
      position,
      readyAt: new Date().toISOString(),
    },
  });
  let switchedNow = false;
  if (options.switchMode === 'now') {
    // Nothing else writes these read models: follow the feed to its end, then switch.
    await catchUp(undefined);
    await flush();
    await catchUp(undefined); // what arrived while flushing
    await flush();
    head = Math.max(head, position);
    for (const target of targets)
      await writePointer(documents, switched(ready(target), new Date().toISOString()));
    switchedNow = true;
  } else {
    await flush();
    for (const target of targets) await writePointer(documents, ready(target));
  }
  progress();
  const durationMs = performance.now() - started;
  return {
    projections: targets.map((t) => ({
      name: t.projection.name,
      generation: t.generation,
      replaced: t.pointer.live,
      documentsWritten: t.written.size,
    })),
    events: count,
    upToPosition: position,
    durationMs: Math.round(durationMs),
    passMs: Math.round(passMs),
    eventsPerSecond: durationMs > 0 ? Math.round((count / durationMs) * 1000) : count,
    switched: switchedNow,
  };
}

/** Applies a batch to one read model's new generation in memory. */
async function fold(
  target: Target,
  batch: readonly StoredEvent[],
  documents: DocumentStore,
  inflight: () => Promise<unknown>,
): Promise<void> {
  const { projection, cache, written } = target;
  if (written.size > 0) {
    // Documents that left the cache are read back first (none until the cache overflows).
    const missing = new Set<string>();
    for (const event of batch)
      for (const key of projection.keysOf(event)) if (!cache.has(key) && written.has(key)) missing.add(key);
    if (missing.size > 0) {
      await inflight(); // an evicted document may still be on its way to the database
      const loaded = await documents.load(target.name, [...missing]);
      for (const key of missing) cache.set(key, loaded.get(key) ?? null);
    }
  }
  // Recency only matters once the cache can overflow; until then an update keeps its place (no reinsert).
  const ordered = cache.size >= target.orderFrom;
  for (const event of batch) {
    for (const key of projection.keysOf(event)) {
      const doc = cache.get(key);
      const next = projection.evolve(doc ?? undefined, event, key);
      if (doc !== undefined && (ordered || next === null)) cache.delete(key); // re-inserted last: most recently used
      if (next !== null || written.has(key)) cache.set(key, next);
    }
  }
}

function* lazily<T, U>(items: readonly T[], map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}
