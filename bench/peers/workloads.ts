// The peer benchmark's workloads, written once against the small interface each side's store is wrapped in
// (ours.ts, emmett.ts), so both sides run the same loops over the same events.
import { randomUUID } from 'node:crypto';

/** An event as both stores take it: the ledger's store adds an id, Emmett makes its own. */
export interface PeerEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export interface PeerStore {
  /**
   * Appends to a stream. `expected` is how many events the stream holds before the append (0: it must not
   * exist yet); undefined appends without a check.
   */
  append(streamId: string, events: readonly PeerEvent[], expected?: number): Promise<void>;
  /** Reads the global feed from its start in pages of `page` until `count` events came back; how many did. */
  readAll(count: number, page: number): Promise<number>;
  /** One command on a tally stream: read the stream, fold it, decide one event, append at the revision read. */
  command(streamId: string): Promise<void>;
  close(): Promise<void>;
}

export type WorkloadName = 'singles' | 'batches' | 'fill' | 'read' | 'commands';

export interface WorkloadRequest {
  readonly workload: WorkloadName;
  /** Names this run's streams, so every round writes streams of its own and rounds stay alike. */
  readonly tag: string;
  /** Appends (singles, batches), events to read (read), commands (commands), or events to hold (fill). */
  readonly count: number;
  readonly page: number;
  readonly streams: number;
}

export interface WorkloadResult {
  /** Events appended or read, or commands run. */
  readonly count: number;
  readonly seconds: number;
  /** CPU seconds of the side's own process (all its threads): the client's share of the work. */
  readonly cpuSeconds: number;
}

const actor = { userId: 'bench', role: 'official', department: 'policy', jurisdiction: '110108' };
const metadata = () => ({ occurredAt: '2026-03-01T08:00:00.000Z', schemaVersion: 1, actor });

/** A penalty-sized event (about 600 bytes of JSON), as `bench:store` appends. */
export const penalty = (i: number): PeerEvent => ({
  type: 'PenaltyRecorded',
  data: {
    recordId: randomUUID(),
    documentNumber: `京教罚字〔2026〕${i}号`,
    offenceType: 'unlicensed off-campus training',
    facts:
      'Organised subject training for compulsory-education pupils without a licence during the holidays.',
    legalBasis: 'Private Education Promotion Law, Art. 62',
    category: 'fine',
    content: 'Fine and order to stop the training',
    fineAmount: 5.5,
    decisionDate: '2026-03-01',
    authority: { name: 'Haidian District Education Commission', uscc: '11110108000085419C' },
    severity: 'general',
  },
  metadata: metadata(),
});

/** The command loop's stream kind: a tally of honours, folded by a small evolve. */
export interface Tally {
  readonly honours: number;
}

export const initialTally = (): Tally => ({ honours: 0 });

export const evolveTally = (state: Tally, event: { readonly type: string }): Tally =>
  event.type === 'HonourRecorded' ? { honours: state.honours + 1 } : state;

/** What a RecordHonour command decides on a tally: one event. */
export const honourRecorded = (state: Tally) => ({
  type: 'HonourRecorded' as const,
  data: {
    sequence: state.honours + 1,
    title: '2026年度市级中小学德育工作先进集体',
    category: 'advanced_collective',
    awardingBody: { name: '厦门市教育局' },
    awardedOn: '2026-09-10',
  },
});

/** Honour events carry the metadata the ledger's command handler writes. */
export const commandMetadata = () => ({ ...metadata(), correlationId: randomUUID() });

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function concurrently(workers: number, work: (worker: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, (_, w) => work(w)));
}

/** Keeps count of what a side has appended, so `fill` knows how far the feed is from the read's size. */
export class Workloads {
  private written = 0;

  constructor(private readonly store: PeerStore) {}

  async run(request: WorkloadRequest): Promise<WorkloadResult> {
    const cpuStarted = cpuSeconds();
    const started = performance.now();
    const count = await this[request.workload](request);
    return {
      count,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds() - cpuStarted,
    };
  }

  /** 16 appenders on distinct streams, one event per append, each at the revision it wrote last. */
  private async singles({ tag, count }: WorkloadRequest): Promise<number> {
    const appenders = 16;
    const perAppender = Math.ceil(count / appenders);
    await concurrently(appenders, async (w) => {
      for (let i = 0; i < perAppender; i++) await this.store.append(`single-${tag}-${w}`, [penalty(i)], i);
    });
    this.written += appenders * perAppender;
    return appenders * perAppender;
  }

  /** 100 events per append, 4 appenders over 50 streams each, no revision check (as `bench:store`). */
  private async batches({ tag, count }: WorkloadRequest): Promise<number> {
    const appenders = 4;
    const perAppender = Math.ceil(count / appenders);
    await concurrently(appenders, async (w) => {
      for (let i = 0; i < perAppender; i++) {
        const events = Array.from({ length: 100 }, (_, k) => penalty(k));
        await this.store.append(`batch-${tag}-${w}-${i % 50}`, events);
      }
    });
    this.written += appenders * perAppender * 100;
    return appenders * perAppender * 100;
  }

  /** Batches until the feed holds `count` events, so the read has as many to read on both sides. */
  private async fill(request: WorkloadRequest): Promise<number> {
    const missing = Math.max(0, request.count - this.written);
    return missing === 0 ? 0 : this.batches({ ...request, count: Math.ceil(missing / 100) });
  }

  private read({ count, page }: WorkloadRequest): Promise<number> {
    return this.store.readAll(count, page);
  }

  /**
   * 16 commands in flight, round-robin over `streams` tally streams (so the 16 are always on distinct
   * streams and none conflicts), each stream growing by one event per command.
   */
  private async commands({ tag, count, streams }: WorkloadRequest): Promise<number> {
    let next = 0;
    await concurrently(16, async () => {
      for (let k = next++; k < count; k = next++) await this.store.command(`tally-${tag}-${k % streams}`);
    });
    this.written += count;
    return count;
  }
}
