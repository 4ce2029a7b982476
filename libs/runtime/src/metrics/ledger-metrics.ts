// The ledger's Prometheus metrics: one registry per ledger (tests run several in one process), the default
// process metrics beside ours. What is cheap to count where it happens (HTTP requests, commands, appends) is
// counted there; what a follower already knows (its position, what it published, what it dead-lettered) is
// read when Prometheus scrapes, so the followers' hot paths carry nothing. Names and labels: README
// "Operations: metrics".
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import type { EventStore } from '@ledger/event-store';

/** What a follower of the feed tells at scrape time. */
export interface FollowedFeed {
  readonly name: string;
  /** Position of the last event it has handled. */
  position(): number;
  /** Stopped at an event that failed verification. */
  halted(): boolean;
}

/** Counts a follower that is not on the store's feed keeps itself (relay, feedback consumer). */
export interface MessagingCounts {
  /** Events the relay has had acknowledged by the broker since start. */
  relayPublished(): number | undefined;
  /** Feedback messages handled since start, by outcome (applied, duplicate, dead_lettered). */
  feedbackHandled(): Readonly<Record<string, number>> | undefined;
  /** Dead-lettered feedback messages by reason code. */
  deadLettersByCode(): Readonly<Record<string, number>> | undefined;
}

interface FollowerReading {
  readonly name: string;
  readonly position: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly halted: boolean;
}

let processMetrics: Registry | undefined;
/**
 * prom-client's default metrics (CPU, memory, event loop, GC) describe the process, and start observers that
 * cannot be stopped: one registry per process, however many ledgers it opens (the tests open hundreds).
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** A scrape collects every gauge at once; the follower gauges share a reading this young. */
const READING_REUSE_MS = 200;

/** Seconds, for durations measured with process.hrtime.bigint(). */
const secondsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** HTTP buckets: a command takes about a millisecond on the embedded store, a verify of a big ledger minutes. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class LedgerMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly commands: Counter<'command' | 'outcome' | 'code'>;
  private readonly appendDuration: Histogram<'store' | 'outcome'>;
  // Labelled by store kind so that they are absent, not 0, before the first verification or digest.
  private readonly verifyResult: Gauge<'store'>;
  private readonly verifyTime: Gauge<'store'>;
  private readonly leaseHeld: Gauge<'follower'>;
  private feeds: () => readonly FollowedFeed[] = () => [];
  private store: EventStore | undefined;
  private messaging: MessagingCounts | undefined;
  private latestDigestAt: (() => Promise<string | undefined>) | undefined;
  private reading:
    { readonly at: number; readonly readings: Promise<readonly FollowerReading[]> } | undefined;

  constructor() {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'HTTP requests by route template (never the URL), method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.commands = new Counter({
      name: 'ledger_commands_total',
      help: 'Commands decided, by command type and outcome (accepted, rejected with an error code, failed)',
      labelNames: ['command', 'outcome', 'code'],
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'ledger_store_append_duration_seconds',
      help: 'Appends to the event store by commands, by store kind and outcome',
      labelNames: ['store', 'outcome'],
      buckets: APPEND_BUCKETS,
      registers,
    });
    this.verifyResult = new Gauge({
      name: 'ledger_verify_last_ok',
      help: 'The last verification of the whole ledger in this process: 1 passed, 0 failed (absent before one ran)',
      labelNames: ['store'],
      registers,
    });
    this.verifyTime = new Gauge({
      name: 'ledger_verify_last_timestamp_seconds',
      help: 'When the last verification of the whole ledger in this process finished (Unix time)',
      labelNames: ['store'],
      registers,
    });
    this.leaseHeld = new Gauge({
      name: 'ledger_follower_lease_held',
      help: 'Whether this process holds the lease of a follower (1) or not (0)',
      labelNames: ['follower'],
      registers,
    });
    this.registerScrapedMetrics(registers);
  }

  /** The Prometheus text exposition: the ledger's metrics, then the process's. */
  async exposition(): Promise<{ readonly contentType: string; readonly body: string }> {
    const [ours, process] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return { contentType: this.registry.contentType, body: `${ours}\n${process}` };
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Whether the process holds a follower's lease (the lease module reports here). */
  setLeaseHeld(follower: string, held: boolean): void {
    this.leaseHeld.set({ follower }, held ? 1 : 0);
  }

  recordVerification(ok: boolean, at = Date.now()): void {
    const store = this.store?.kind ?? 'unknown';
    this.verifyResult.set({ store }, ok ? 1 : 0);
    this.verifyTime.set({ store }, at / 1000);
  }

  /** The followers whose lag is measured, read at every scrape (they change as the process starts and stops). */
  followFeeds(store: EventStore, feeds: () => readonly FollowedFeed[]): void {
    this.store = store;
    this.feeds = feeds;
  }

  followMessaging(counts: MessagingCounts): void {
    this.messaging = counts;
  }

  followDigests(latestCreatedAt: () => Promise<string | undefined>): void {
    this.latestDigestAt = latestCreatedAt;
  }

  /** Counts each call of `execute` by the command's type and how it ended. */
  countCommands<Request extends { readonly type: string }, Context, Result>(
    execute: (request: Request, context: Context) => Promise<Result>,
  ): (request: Request, context: Context) => Promise<Result> {
    const commands = this.commands;
    return async (request, context) => {
      try {
        const result = await execute(request, context);
        commands.inc({ command: request.type, outcome: 'accepted', code: '' });
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const labels: LabelValues<'command' | 'outcome' | 'code'> =
          typeof code === 'string' && /^[A-Z_]+\.[A-Z_.]+$/.test(code)
            ? { command: request.type, outcome: 'rejected', code }
            : { command: request.type, outcome: 'failed', code: 'UNEXPECTED' };
        commands.inc(labels);
        throw error;
      }
    };
  }

  /** The store with its appends timed; everything else passes through to the store itself. */
  timeAppends(store: EventStore): EventStore {
    const histogram = this.appendDuration;
    const append: EventStore['append'] = async (...args) => {
      const start = process.hrtime.bigint();
      try {
        const result = await store.append(...args);
        histogram.observe({ store: store.kind, outcome: 'ok' }, secondsSince(start));
        return result;
      } catch (error) {
        histogram.observe({ store: store.kind, outcome: 'error' }, secondsSince(start));
        throw error;
      }
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === 'append') return append;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** One reading per scrape: the gauges collected together share it. */
  private readFollowers(): Promise<readonly FollowerReading[]> {
    const now = Date.now();
    if (this.reading && now - this.reading.at < READING_REUSE_MS) return this.reading.readings;
    const readings = this.readFollowersNow().catch(() => []);
    this.reading = { at: now, readings };
    return readings;
  }

  private async readFollowersNow(): Promise<readonly FollowerReading[]> {
    const store = this.store;
    const feeds = this.feeds();
    if (!store || feeds.length === 0) return [];
    const head = await store.headPosition();
    const ages = new Map<number, Promise<number>>();
    const ageOfFirstAfter = (after: number): Promise<number> => {
      let age = ages.get(after);
      if (!age) {
        age = store
          .readAll({ after, limit: 1 })
          .then(([event]) => (event ? Math.max(0, (Date.now() - Date.parse(event.recordedAt)) / 1000) : 0));
        ages.set(after, age);
      }
      return age;
    };
    return Promise.all(
      feeds.map(async (feed) => {
        const position = feed.position();
        const lagEvents = Math.max(0, head - position);
        const lagSeconds = lagEvents > 0 ? await ageOfFirstAfter(position) : 0;
        return { name: feed.name, position, lagEvents, lagSeconds, halted: feed.halted() };
      }),
    );
  }

  private registerScrapedMetrics(registers: Registry[]): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    // The four follower gauges come from one reading of the head and of each follower's first unhandled event.
    const follower = (name: string, help: string, value: (f: FollowerReading) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['follower'],
        registers,
        async collect() {
          const readings = await metrics.readFollowers();
          this.reset();
          for (const reading of readings) this.set({ follower: reading.name }, value(reading));
        },
      });
    follower(
      'ledger_follower_lag_events',
      'Events appended to the store that a follower of the feed has not handled yet',
      (f) => f.lagEvents,
    );
    follower(
      'ledger_follower_lag_seconds',
      'Age of the oldest event a follower has not handled yet (0 when it is caught up)',
      (f) => f.lagSeconds,
    );
    follower(
      'ledger_follower_position',
      'Position of the last event a follower has handled (stalled: it stops rising while its lag grows)',
      (f) => f.position,
    );
    follower(
      'ledger_follower_halted',
      'A follower stopped at an event that failed verification (1), until the row is repaired',
      (f) => (f.halted ? 1 : 0),
    );
    new Counter({
      name: 'ledger_relay_published_total',
      help: 'Events the relay published to Kafka and the broker acknowledged, since the process started',
      registers,
      collect() {
        const published = metrics.messaging?.relayPublished();
        this.reset();
        if (published !== undefined) this.inc(published);
      },
    });
    new Counter({
      name: 'ledger_feedback_messages_total',
      help: 'Joint-discipline feedback messages consumed, by outcome (applied, duplicate, dead_lettered)',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const [outcome, count] of Object.entries(metrics.messaging?.feedbackHandled() ?? {}))
          this.inc({ outcome }, count);
      },
    });
    new Counter({
      name: 'ledger_dlq_messages_total',
      help: 'Inbound messages sent to the dead-letter topic, by reason code',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (const [code, count] of Object.entries(metrics.messaging?.deadLettersByCode() ?? {}))
          this.inc({ code }, count);
      },
    });
    new Gauge({
      name: 'ledger_digest_age_seconds',
      help: 'Age of the latest ledger digest (absent before the first one)',
      labelNames: ['store'],
      registers,
      async collect() {
        this.reset();
        const createdAt = await metrics.latestDigestAt?.();
        if (createdAt)
          this.set(
            { store: metrics.store?.kind ?? 'unknown' },
            Math.max(0, (Date.now() - Date.parse(createdAt)) / 1000),
          );
      },
    });
  }
}
