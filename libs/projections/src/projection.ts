// A read model is a pure fold: for each event, which documents it touches and how each one changes.
// The runner loads those documents, applies the events, and saves them with the checkpoint in one
// transaction, so a replay or a crash mid-batch never applies an event twice.
import type { StoredEvent } from '@ledger/event-store';

/** Columns a document is found by; everything else lives in the document itself. */
export interface DocumentIndex {
  /** 6-digit division code; lists filter by province (2 digits), city (4) or county (6) prefix. */
  readonly jurisdiction?: string;
  /** Subject kind, record kind or any other category the read model filters on. */
  readonly kind?: string;
  /** An identifier to look the document up by (USCC, resident ID number). */
  readonly code?: string;
  /** Sort order of listings (e.g. the instant a subject entered a list). */
  readonly sortKey?: string;
}

/**
 * A read model: which events it reads, which documents each changes, and how. That is all a new read model
 * needs; `tuning` lets the runners fold it faster, and leaving it out is always correct.
 */
export interface Projection<Doc> {
  /** Table-safe name; also the checkpoint's name. */
  readonly name: string;
  /** Bump to make the runner rebuild this read model from zero. */
  readonly version: number;
  /**
   * The event types this read model reads; events of other types are never offered to it, so a runner looks
   * each event's type up once instead of asking every read model. They must change nothing here (a property
   * test checks). Absent: every event.
   */
  readonly eventTypes?: readonly string[];
  /** Ids of the documents this event changes (none: the event is not for this read model). */
  documentIds(event: StoredEvent): readonly string[];
  /** The new document, or null to delete it; `doc` is undefined before the first event. Pure. */
  evolve(doc: Doc | undefined, event: StoredEvent, id: string): Doc | null;
  /** The columns a document is found by. */
  index(doc: Doc): DocumentIndex;
  readonly tuning?: ProjectionTuning<Doc>;
}

/** What a read model may declare so that the runners fold it faster; none of it changes what is written. */
export interface ProjectionTuning<Doc> {
  /**
   * Each document is changed by the events of one stream only (a subject's), so folding the feed stream after
   * stream ends with the same documents as folding it in order. A rebuild then reads stream by stream and
   * writes each stream's documents as soon as it ends (see `RebuildReads`). A rebuild including a read model
   * with neither this nor `merge` follows the feed in order. `singleStreamProjection` sets it.
   */
  readonly perStream?: boolean;
  /**
   * For a read model whose documents gather many streams' events (per department and month) and are never
   * deleted: the document folding the events of both `a` and `b` in feed order would give, where `a` and `b`
   * were folded from disjoint sets of streams. Associative and commutative (a property test checks). A rebuild
   * then folds each stream apart in its stream-by-stream pass and merges; the merged documents stay in memory
   * until the pass ends, so keep them few.
   */
  merge?(a: Doc, b: Doc): Doc;
  /**
   * Completes what is derived from the folded document as a whole (a subject's credit status), once per
   * written document rather than in every `evolve`. Pure; every runner calls it before writing.
   */
  settle?(doc: Doc): Doc;
}

/**
 * A read model each of whose documents is changed by one stream's events only (a subject's standing, its
 * records, its list memberships): declares `tuning.perStream`, so a rebuild folds it stream by stream.
 */
export function singleStreamProjection<Doc>(
  definition: Omit<Projection<Doc>, 'tuning'> & { readonly tuning?: Pick<ProjectionTuning<Doc>, 'settle'> },
): Projection<Doc> {
  return { ...definition, tuning: { ...definition.tuning, perStream: true } };
}

/** The document as it is written: settled where the read model settles, and indexed (null: deleted). */
export function finishedChange(
  projection: Projection<unknown>,
  id: string,
  folded: unknown | null,
): DocumentChange {
  const settle = projection.tuning?.settle;
  const doc = folded === null || settle === undefined ? folded : settle(folded);
  return { id, doc, index: doc === null ? undefined : projection.index(doc) };
}

export interface StoredDocument<Doc> {
  readonly id: string;
  readonly doc: Doc;
}

export interface DocumentQuery {
  /** Division code prefix: '11' (a province), '1101' (a city), '110105' (a county). */
  readonly jurisdictionPrefix?: string;
  readonly kind?: string;
  readonly code?: string;
  /** Inclusive upper bound on the sort key, in listing order; documents without a sort key never match. */
  readonly sortKeyUpTo?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface DocumentChange {
  readonly id: string;
  /** null deletes the document. */
  readonly doc: unknown | null;
  readonly index?: DocumentIndex;
}

/**
 * A document to add: the document, or its JSON encoded as UTF-8 when the caller serialised it already (a
 * rebuild does, so that documents waiting for the database lie outside the JavaScript heap).
 */
export type NewDocument = { readonly id: string; readonly index?: DocumentIndex } & (
  { readonly doc: unknown } | { readonly utf8: Uint8Array }
);

/** The JSON of a document to add. */
export const jsonOf = (document: NewDocument): string =>
  'utf8' in document ? Buffer.from(document.utf8).toString('utf8') : JSON.stringify(document.doc);

/**
 * Documents of one read model that do not exist yet (see `DocumentStore.insertNew`). Any iterable: a lazy
 * one is settled and serialised while the database takes in what came before.
 */
export interface NewDocuments {
  readonly projection: string;
  readonly documents: Iterable<NewDocument>;
}

/** One read model's share of a batch: its changed documents and its new checkpoint. */
export interface ProjectionCommit {
  readonly projection: string;
  readonly version: number;
  readonly changes: readonly DocumentChange[];
  readonly position: number;
}

/** Storage of read models: one adapter per backend (PostgreSQL, SQLite), the same behaviour. */
export interface DocumentStore {
  checkpoint(projection: string): Promise<{ position: number; version: number } | undefined>;
  load(projection: string, ids: readonly string[]): Promise<Map<string, unknown>>;
  /** Several read models' documents in one read: projection → id → document. */
  loadAll(requests: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Map<string, unknown>>>;
  /** Writes the changes and moves the checkpoint, atomically. */
  commit(
    projection: string,
    version: number,
    changes: readonly DocumentChange[],
    position: number,
  ): Promise<void>;
  /** Several read models' changes and checkpoints, atomically (one round trip where the backend allows). */
  commitAll(commits: readonly ProjectionCommit[]): Promise<void>;
  /**
   * Adds documents that do not exist yet by the backend's fastest bulk path (PostgreSQL: COPY), for a
   * generation being rebuilt, which nobody reads yet. Moves no checkpoint. All or nothing: an id that
   * exists already fails the whole call.
   */
  insertNew(additions: readonly NewDocuments[]): Promise<void>;
  get<Doc>(projection: string, id: string): Promise<Doc | undefined>;
  query<Doc>(
    projection: string,
    query: DocumentQuery,
  ): Promise<{ items: StoredDocument<Doc>[]; total: number }>;
  /** Drops a read model's documents and checkpoint (before a rebuild). */
  reset(projection: string): Promise<void>;
  close(): Promise<void>;
}

/** Whether a read model reads events of this type (see `Projection.eventTypes`). */
export const readsType = (projection: Projection<unknown>, type: string): boolean =>
  projection.eventTypes === undefined || projection.eventTypes.includes(type);

/** Splits a batch into each read model's share (`shares[i]` for `projections[i]`), deciding once per type. */
export function sharesOf(
  projections: readonly Projection<unknown>[],
  batch: readonly StoredEvent[],
): StoredEvent[][] {
  const shares = projections.map((): StoredEvent[] => []);
  const readers = new Map<string, number[]>();
  for (const event of batch) {
    let indexes = readers.get(event.type);
    if (indexes === undefined) {
      indexes = projections.flatMap((projection, i) => (readsType(projection, event.type) ? [i] : []));
      readers.set(event.type, indexes);
    }
    for (const i of indexes) shares[i]!.push(event);
  }
  return shares;
}
