// Group commit: concurrent appends travel to the database together, one round trip and one transaction per
// group instead of one each. Nothing waits on a timer: a group leaves as soon as a slot is free, so a lone
// append goes at once, and under load whatever arrived while the slots were busy goes in the next group.

export interface GroupCommitOptions {
  /** Groups in flight at once. */
  readonly maxInFlight: number;
  /** Items in one group at most. */
  readonly maxGroupSize: number;
}

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  private readonly queue: Array<Waiting<T, R>> = [];
  private inFlight = 0;

  /** `send` answers each item of a group in order, or fails the group as a whole (nothing of it written). */
  constructor(
    private readonly send: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.options.maxGroupSize);
      this.inFlight++;
      void this.dispatch(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async dispatch(group: ReadonlyArray<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.send(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      // One member may have failed the whole group (or two groups deadlocked): each goes again on its own,
      // so no append fails because of its neighbours.
      await Promise.all(group.map((w) => this.dispatch([w])));
    }
  }
}
