// Folded stream states kept between commands (a snapshot in memory): a command then reads only the events
// appended since, so its cost does not grow with the stream. Entries only ever hold states the store has
// confirmed, so a stale entry costs one more read, never a wrong decision: the append still checks the revision.

/** The first answer given to a request with an idempotency key, found again without re-reading history. */
export interface KeyedAnswer {
  readonly requestHash?: string;
  readonly eventIds: readonly string[];
  readonly eventTypes: readonly string[];
  readonly revision: number;
  readonly position: number;
}

export interface FoldedStream<State> {
  /** Last revision folded in (-1: empty stream). */
  readonly revision: number;
  /** Global position of that event (0: none). */
  readonly position: number;
  readonly state: State;
  readonly answers: ReadonlyMap<string, KeyedAnswer>;
}

export class StreamStateCache<State> {
  private readonly entries = new Map<string, FoldedStream<State>>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): FoldedStream<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId); // most recently used goes last
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: FoldedStream<State>): void {
    const current = this.entries.get(streamId);
    if (current && current.revision > entry.revision) return; // never move backwards
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
