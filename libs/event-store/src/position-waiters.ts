// Callers waiting for a follower (a subscription, the relay) to reach a position in the feed.
export class PositionWaiters {
  private readonly waiting = new Set<{ position: number; resolve: () => void }>();

  /** `name` says who is awaited, in the timeout's message; `current` tells where it stands. */
  constructor(
    private readonly name: string,
    private readonly current: () => number,
  ) {}

  /** Resolves once the follower has reached `position`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (this.current() >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        reject(
          new Error(
            `${this.name} did not reach position ${position} within ${timeoutMs} ms (at ${this.current()})`,
          ),
        );
      }, timeoutMs);
      this.waiting.add(waiter);
    });
  }

  /** The follower moved on: release everyone waiting for where it now stands. */
  moved(): void {
    const current = this.current();
    for (const waiter of this.waiting) {
      if (current >= waiter.position) {
        this.waiting.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
