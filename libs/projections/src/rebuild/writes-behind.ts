// Writes a rebuild launches behind the folding that produced them, a few at a time: the database takes in
// one batch while this thread prepares the next.

export class WritesBehind {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly limit: number) {}

  /** Starts `work` once fewer than `limit` writes are in flight; an earlier write's failure is thrown here. */
  async launch(work: () => Promise<void>): Promise<void> {
    await this.below(this.limit);
    this.start(work);
  }

  /**
   * Starts `work` now, however many writes are in flight: for a caller that cannot wait where it is (a row
   * handed over by the database) and waits with `below` where it can.
   */
  start(work: () => Promise<void>): void {
    const done: Promise<void> = work()
      .catch((error: unknown) => void (this.failure ??= error))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  /** Waits until fewer than `limit` writes are in flight; an earlier write's failure is thrown here. */
  async below(limit: number): Promise<void> {
    while (this.inFlight.size >= limit) await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits until no write is in flight, without throwing. */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Waits until no write is in flight; throws the first failure. */
  async settled(): Promise<void> {
    await this.idle();
    if (this.failure !== undefined) throw this.failure;
  }
}
