// Catch-up-then-live subscription over any store's readAll. Latency is bounded by the poll interval;
// an append in this process wakes it at once.
import type { StoredEvent, SubscribeOptions, Subscription } from './event-store.port';

export interface FeedSource {
  readAll(options: { after: number; limit: number }): Promise<StoredEvent[]>;
  /** Registers a callback for appends made through this process; returns the unregister function. */
  onAppended(listener: () => void): () => void;
}

export class PollingSubscription implements Subscription {
  private current: number;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Set when an append arrived while reading, so the next sleep is skipped. */
  private woken = false;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private readonly done: Promise<void>;
  private readonly unlisten: () => void;

  constructor(
    private readonly source: FeedSource,
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
  ) {
    this.current = options.after;
    this.unlisten = source.onAppended(() => {
      this.woken = true;
      this.wake?.();
    });
    this.done = this.run();
  }

  get position(): number {
    return this.current;
  }

  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.current >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `Subscription did not reach position ${position} within ${timeoutMs} ms (at ${this.current})`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.unlisten();
    await this.done;
  }

  private async run(): Promise<void> {
    const limit = this.options.batchSize ?? 1000;
    let lastRead = 0;
    while (!this.stopped) {
      let batch: StoredEvent[] = [];
      try {
        const wait = lastRead + (this.options.minIntervalMs ?? 0) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastRead = Date.now();
        batch = await this.source.readAll({ after: this.current, limit });
        if (batch.length > 0) {
          await this.options.handler(batch);
          this.current = batch[batch.length - 1]!.position;
          this.notifyWaiters();
        }
      } catch (error) {
        // The handler did not confirm the batch: keep the checkpoint and try again after a pause.
        this.options.onError?.(error);
        batch = [];
        await this.sleep(this.pollIntervalMs * 10);
      }
      if (batch.length < limit && !this.stopped) await this.sleep(this.pollIntervalMs);
    }
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters) {
      if (this.current >= waiter.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
