// Catch-up-then-live subscription over any store's readAll. Latency is bounded by the poll interval;
// an append in this process wakes it at once.
import { EventEmitter } from 'node:events';
import type { StoredEvent, SubscribeOptions, Subscription } from './event-store.port';
import { FeedIntegrityError } from './feed-verifier';
import { FeedTail } from './feed-tail';
import { PositionWaiters } from './position-waiters';

const DEFAULT_MIN_INTERVAL_MS = 100;

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
  private readonly waiters = new PositionWaiters('Subscription', () => this.current);
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
    return this.waiters.waitFor(position, timeoutMs);
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
        const wait = lastRead + (this.options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastRead = Date.now();
        batch = await this.source.readAll({ after: this.current, limit });
        if (batch.length > 0) {
          await this.options.handler(batch);
          this.current = batch[batch.length - 1]!.position;
          this.waiters.moved();
        }
      } catch (error) {
        if (error instanceof FeedIntegrityError) {
          // An event failed verification: retrying reads the same row again. Stop after what was handled.
          if (error.lastHandledPosition !== undefined && error.lastHandledPosition > this.current) {
            this.current = error.lastHandledPosition;
            this.waiters.moved();
          }
          this.stopped = true;
          this.unlisten();
          this.options.onError?.(error);
          break;
        }
        // The handler did not confirm the batch: keep the checkpoint and try again after a pause.
        this.options.onError?.(error);
        batch = [];
        await this.sleep(this.pollIntervalMs * 10);
      }
      if (batch.length < limit && !this.stopped) await this.sleep(this.pollIntervalMs);
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

/**
 * What every adapter needs to serve subscriptions: polling its own readAll (through one shared FeedTail),
 * woken at once by appends made through this process, and stopped together when the store closes.
 */
export class FeedFollowers {
  private readonly appended = new EventEmitter();
  private readonly running = new Set<Subscription>();
  private readonly tail: FeedTail;

  constructor(
    readAll: FeedSource['readAll'],
    private readonly pollIntervalMs: number,
  ) {
    this.appended.setMaxListeners(0);
    this.tail = new FeedTail(readAll);
  }

  /** Tells this process's subscriptions that the feed grew. */
  notifyAppended(): void {
    this.appended.emit('appended');
  }

  subscribe(options: SubscribeOptions): Subscription {
    const source: FeedSource = {
      readAll: (options) => this.tail.readAll(options),
      onAppended: (listener) => {
        this.appended.on('appended', listener);
        return () => this.appended.off('appended', listener);
      },
    };
    const subscription = new PollingSubscription(source, options, this.pollIntervalMs);
    this.running.add(subscription);
    return {
      get position() {
        return subscription.position;
      },
      waitFor: (position, timeoutMs) => subscription.waitFor(position, timeoutMs),
      stop: async () => {
        this.running.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((s) => s.stop()));
    this.running.clear();
  }
}
