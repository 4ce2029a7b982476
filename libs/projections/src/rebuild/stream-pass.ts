// The stream-by-stream pass of a rebuild: the read models that declare `perStream` or `merge`, folded over the
// events up to a head stream after stream, the events as the database hands them over. A perStream read model's
// documents are final when their stream ends; they are settled, serialised and added by COPY while the rest is
// read, so memory holds one stream's documents, not all of them. A merging read model's documents, folded from
// each stream apart, are merged with the ones gathered so far and written when the pass ends.
import { upcastEvent } from '@ledger/domain';
import type { RebuildReads, StoredEvent } from '@ledger/event-store';
import { readsType, type DocumentStore, type NewDocument, type Projection } from '../projection';
import { WritesBehind } from './writes-behind';

export interface StreamPassTarget {
  readonly projection: Projection<unknown>;
  /** Physical name of the generation being built. */
  readonly name: string;
  /** Ids of the documents written so far; the pass adds each one it writes. */
  readonly written: Set<string>;
}

export interface StreamPassOptions {
  /** The head the whole rebuild reads up to. */
  readonly until: number;
  /** Events per read. */
  readonly pageSize: number;
  /** Called after each page with the events folded so far. */
  readonly onProgress?: (events: number) => void;
}

/** Finished documents per COPY. */
const INSERT_BATCH = 4000;
/**
 * COPYs in flight after each page: the database takes them in while this thread folds and serialises the next
 * ones (within a page, a COPY starts whenever a stream ends with INSERT_BATCH documents ready).
 */
const WRITERS = 3;

/**
 * Folds the events up to `until` into `targets`, writing each stream's documents once it has ended (a merging
 * read model's once every stream has). A perStream document id met in a second stream would make the result
 * depend on the order of streams: the pass stops instead.
 */
export async function foldStreams(
  reads: RebuildReads,
  documents: DocumentStore,
  targets: readonly StreamPassTarget[],
  options: StreamPassOptions,
): Promise<void> {
  await new StreamPass(documents, targets).run(reads, options);
}

type Merge = (a: unknown, b: unknown) => unknown;

class StreamPass {
  /** Per target, the current stream's documents (null: deleted). */
  private readonly open: Map<string, unknown>[];
  /** Per merging target, its documents so far, stacked (see `pushMerging`). */
  private readonly gathered: Map<string, Merging[]>[];
  private readonly merges: (Merge | undefined)[];
  private readonly settles: (((doc: unknown) => unknown) | undefined)[];
  /** Per event type, the targets reading it. */
  private readonly readers = new Map<string, number[]>();
  /**
   * Per target, documents finished and encoded, waiting for a COPY: outside the JavaScript heap, they cost
   * the garbage collector nothing while they wait for the database.
   */
  private ready: NewDocument[][];
  private readyCount = 0;
  private stream: string | undefined;
  private last: StoredEvent | undefined;
  private readonly writes = new WritesBehind(WRITERS);

  constructor(
    private readonly documents: DocumentStore,
    private readonly targets: readonly StreamPassTarget[],
  ) {
    this.open = targets.map(() => new Map());
    this.gathered = targets.map(() => new Map());
    this.merges = targets.map((target) => target.projection.tuning?.merge);
    this.settles = targets.map((target) => target.projection.tuning?.settle);
    this.ready = targets.map(() => []);
  }

  async run(reads: RebuildReads, { until, pageSize, onProgress }: StreamPassOptions): Promise<void> {
    let events = 0;
    try {
      for (let full = true; full;) {
        const after = this.last && { streamId: this.last.streamId, revision: this.last.revision };
        let count = 0;
        for await (const arrived of reads.readStreams({ upTo: until, after, limit: pageSize })) {
          for (const event of arrived) this.fold(upcastEvent(event)); // rebuilds fold the current shapes
          count += arrived.length;
        }
        events += count;
        full = count === pageSize;
        if (!full) this.endPass();
        await this.writes.below(WRITERS); // the database keeps up with the COPYs, or the next page waits
        onProgress?.(events);
      }
    } finally {
      await this.writes.idle(); // nothing of this pass still runs when it returns or throws
    }
    await this.writes.settled();
  }

  private fold(event: StoredEvent): void {
    if (event.streamId !== this.stream) {
      this.endStream();
      this.stream = event.streamId;
      if (this.readyCount >= INSERT_BATCH) this.launch();
    }
    let indexes = this.readers.get(event.type);
    if (indexes === undefined) {
      indexes = this.targets.flatMap((target, i) => (readsType(target.projection, event.type) ? [i] : []));
      this.readers.set(event.type, indexes);
    }
    for (const i of indexes) {
      const { projection } = this.targets[i]!;
      const docs = this.open[i]!;
      for (const id of projection.documentIds(event))
        docs.set(id, projection.evolve(docs.get(id) ?? undefined, event, id));
    }
    this.last = event;
  }

  /** The current stream's documents: finished, or gathered for merging. */
  private endStream(): void {
    for (const [i, docs] of this.open.entries()) {
      const merge = this.merges[i];
      const { projection, written } = this.targets[i]!;
      for (const [id, folded] of docs) {
        if (folded === null) continue; // created and deleted within the stream: never written
        if (merge) {
          let stack = this.gathered[i]!.get(id);
          if (stack === undefined) this.gathered[i]!.set(id, (stack = []));
          pushMerging(stack, folded, merge);
          continue;
        }
        if (written.has(id))
          throw new Error(
            `Read model ${projection.name}: document ${id} is changed by more than one stream, so it cannot be rebuilt stream by stream: it is no single-stream read model (tuning.perStream)`,
          );
        this.finish(i, id, folded);
      }
      docs.clear();
    }
  }

  /** After the last page: the last stream ends, merged documents are finished, and what is ready is written. */
  private endPass(): void {
    this.endStream();
    for (const [i, docs] of this.gathered.entries())
      for (const [id, stack] of docs) this.finish(i, id, mergeAll(stack, this.merges[i]!));
    if (this.readyCount > 0) this.launch();
  }

  private finish(i: number, id: string, folded: unknown): void {
    const { projection, written } = this.targets[i]!;
    written.add(id);
    const settle = this.settles[i];
    const doc = settle ? settle(folded) : folded;
    this.ready[i]!.push({ id, utf8: Buffer.from(JSON.stringify(doc)), index: projection.index(doc) });
    this.readyCount += 1;
  }

  /** Launches a COPY of the documents ready so far, without waiting (the read waits between pages). */
  private launch(): void {
    const additions = this.targets.map((target, i) => ({
      projection: target.name,
      documents: this.ready[i]!,
    }));
    this.ready = this.targets.map(() => []);
    this.readyCount = 0;
    this.writes.start(() => this.documents.insertNew(additions));
  }
}

/** A document merged from `streams` streams' documents. */
interface Merging {
  readonly doc: unknown;
  readonly streams: number;
}

/**
 * Adds one stream's document to a stack merged like a binary counter: two entries merge once they stand for
 * as many streams each, so a document gathering n streams is copied log n times, not n times (merging each
 * stream into the whole would be quadratic in the streams).
 */
function pushMerging(stack: Merging[], doc: unknown, merge: Merge): void {
  let top: Merging = { doc, streams: 1 };
  while (stack.length > 0 && stack[stack.length - 1]!.streams <= top.streams) {
    const below = stack.pop()!;
    top = { doc: merge(below.doc, top.doc), streams: below.streams + top.streams };
  }
  stack.push(top);
}

/** The stack merged into one document (entries below hold earlier streams). */
function mergeAll(stack: readonly Merging[], merge: Merge): unknown {
  return stack.map((entry) => entry.doc).reduceRight((merged, doc) => merge(doc, merged));
}
