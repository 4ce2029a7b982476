// The newest stretch of the global feed, kept in memory for the followers of one process. Projections, the
// case initiator, the scheduler and the digester all follow the feed's tail; with this they share one read
// (and one parse) of each event instead of each querying the store for the same rows.
import type { ReadAllOptions, StoredEvent } from './event-store.port';

export class FeedTail {
  /** Every event with a position in (after, last event's position], in position order. */
  private events: StoredEvent[] = [];
  private after = 0;
  private readonly reading = new Map<number, Promise<StoredEvent[]>>();

  constructor(
    private readonly read: (options: ReadAllOptions) => Promise<StoredEvent[]>,
    private readonly capacity = 5000,
  ) {}

  /** readAll for followers. The events returned are shared between followers: never modify them. */
  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const cached = this.slice(after, limit);
    if (cached.length > 0) return cached;
    let pending = this.reading.get(after);
    if (!pending) {
      pending = this.read({ after, limit }).finally(() => this.reading.delete(after));
      this.reading.set(after, pending);
      const batch = await pending;
      this.absorb(after, batch);
      return batch;
    }
    return (await pending).slice(0, limit);
  }

  /** Events after `after` held here (none when `after` is outside the stretch or at its end). */
  private slice(after: number, limit: number): StoredEvent[] {
    const events = this.events;
    if (events.length === 0 || after < this.after || after >= events[events.length - 1]!.position) return [];
    let low = 0;
    let high = events.length; // first index with position > after
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (events[middle]!.position <= after) low = middle + 1;
      else high = middle;
    }
    return events.slice(low, low + limit);
  }

  /**
   * A read after `after` returned every event up to its last one (the store never returns a position
   * while a lower one may still commit), so it extends the stretch when it starts where the stretch ends.
   */
  private absorb(after: number, batch: readonly StoredEvent[]): void {
    if (batch.length === 0) return;
    const end = this.events.length > 0 ? this.events[this.events.length - 1]!.position : this.after;
    if (after === end) {
      for (const event of batch) this.events.push(event);
    } else {
      this.events = [...batch];
      this.after = after;
    }
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.after = this.events[excess - 1]!.position;
      this.events = this.events.slice(excess);
    }
  }
}
