// Issues the time-driven commands (DESIGN.md "Time-driven changes are events"): every tick it reads the
// deadlines read model up to today's Beijing date and sends each command through SubjectCommands, so
// publicity ends, expiries, commitments falling due and overdue rectifications reach lists, auditors and
// Kafka as events.
//
// Exactly once, across restarts and instances: each command carries the idempotency key
// `scheduler/<command>:<recordId>:<dueOn>`, which the command handler finds in the stream and answers
// with the first result. Two schedulers racing on one deadline both decide; the second append meets a
// revision conflict, re-reads the stream, finds the key and writes nothing. A read model that lags behind
// the stream therefore costs a replayed answer, never a second event. (`/` is outside the characters an
// HTTP Idempotency-Key may use, so no client request can take a scheduler key.)
import { createHash } from 'node:crypto';
import { beijingDateOf, DomainError, type IsoDate } from '@ledger/domain';
import { canonicalJson, type Actor } from '@ledger/event-store';
import {
  DEADLINES_PROJECTION,
  isPendingDeadline,
  type Deadline,
  type DeadlineDocument,
  type DocumentStore,
} from '@ledger/projections';
import { IdempotencyKeyReused, type CommandResult } from '../command-handler';
import type { SubjectCommandRequest, SubjectCommands } from '../subject-commands';
import { uuidV7 } from '../uuid-v7';

/** Who issues time-driven commands: a system actor whose jurisdiction covers every subject. */
export const SCHEDULER_ACTOR: Actor = {
  userId: 'scheduler',
  role: 'system',
  department: 'credit-ledger',
  jurisdiction: '000000',
};

export type SchedulerLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log line: `msg` plus fields (JSON-logger friendly). */
export interface SchedulerLogEntry {
  readonly level: SchedulerLogLevel;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface DeadlineSchedulerOptions {
  /** The scheduler's clock; injected so tests can move time. Defaults to the system clock. */
  readonly clock?: () => Date;
  /** Pause between the end of one tick and the start of the next. Default 60 s. */
  readonly intervalMs?: number;
  /** Page size when reading due deadlines. Default 500. */
  readonly pageSize?: number;
  readonly log?: (entry: SchedulerLogEntry) => void;
}

export interface TickReport {
  /** Today's Beijing date at the start of the tick: deadlines due on or before it were considered. */
  readonly today: IsoDate;
  /** Deadlines the read model holds as due. */
  readonly due: number;
  /** Commands that wrote new events. */
  readonly issued: number;
  /** Commands answered from the stream (issued earlier, here or by another instance; the read model lagged). */
  readonly alreadyIssued: number;
  /** Commands the domain refused in this tick (logged once; not retried while this process runs). */
  readonly refused: number;
  /** Deadlines skipped because the domain refused them in an earlier tick. */
  readonly skipped: number;
  /** Commands that failed for another reason (store unreachable, repeated conflicts): retried next tick. */
  readonly failed: number;
  /** Highest global position written or replayed (0 if none): wait for it to read the effects. */
  readonly lastPosition: number;
  /** The tick was interrupted by stop(). */
  readonly stopped: boolean;
}

/** The only part of SubjectCommands the scheduler uses. */
export type SubjectCommandExecutor = Pick<SubjectCommands, 'execute'>;

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_PAGE_SIZE = 500;

/** The idempotency key of a deadline: one command per record, command and due date, ever. */
export const schedulerIdempotencyKey = (deadline: Pick<Deadline, 'command' | 'recordId' | 'dueOn'>): string =>
  `scheduler/${deadline.command}:${deadline.recordId}:${deadline.dueOn}`;

export class DeadlineScheduler {
  private readonly clock: () => Date;
  private readonly intervalMs: number;
  private readonly pageSize: number;
  private readonly log: (entry: SchedulerLogEntry) => void;
  /** Idempotency keys of deadlines the domain refused: logged once, then left alone. */
  private refusedKeys = new Set<string>();
  /** Ticks run one after another, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by stop(): a tick asked for before it ends after its command in flight. */
  private stops = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly documents: DocumentStore,
    private readonly commands: SubjectCommandExecutor,
    options: DeadlineSchedulerOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.log = options.log ?? (() => undefined);
    if (!(this.intervalMs > 0)) throw new Error('intervalMs must be positive');
    if (!(this.pageSize > 0)) throw new Error('pageSize must be positive');
  }

  /** Ticks at once, then `intervalMs` after each tick ends (ticks never overlap). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.log({ level: 'info', msg: 'deadline scheduler started', intervalMs: this.intervalMs });
    this.schedule(0);
  }

  /** Stops ticking; a running tick finishes the command in flight, then ends. Resolves when it has. */
  async stop(): Promise<void> {
    const wasStarted = this.started;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stops += 1;
    await this.queue.catch(() => undefined);
    if (wasStarted) this.log({ level: 'info', msg: 'deadline scheduler stopped' });
  }

  /** One pass over the deadlines due today. Calls are serialised: a tick never overlaps another. */
  tick(): Promise<TickReport> {
    const stopsWhenAsked = this.stops;
    const next = this.queue
      .catch(() => undefined)
      .then(() => this.runTick(() => this.stops !== stopsWhenAsked));
    this.queue = next;
    return next;
  }

  private schedule(delayMs: number): void {
    // Not after stop(), and never a second timer chain (a restart while an old tick was finishing).
    if (!this.started || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick()
        .catch((error: unknown) =>
          this.log({
            level: 'error',
            msg: 'deadline tick failed; retried next tick',
            error: describe(error),
          }),
        )
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }

  private async runTick(stopRequested: () => boolean): Promise<TickReport> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const today = beijingDateOf(nowIso);
    const due = await this.dueOn(today);
    const counts = { issued: 0, alreadyIssued: 0, refused: 0, skipped: 0, failed: 0, lastPosition: 0 };
    const keysStillDue = new Set<string>();
    let stopped = false;
    for (const deadline of due) {
      if (stopRequested()) {
        stopped = true;
        break;
      }
      const key = schedulerIdempotencyKey(deadline);
      keysStillDue.add(key);
      if (this.refusedKeys.has(key)) {
        counts.skipped += 1;
        continue;
      }
      const outcome = await this.issue(deadline, key, nowIso);
      if (outcome.kind === 'done') {
        counts.lastPosition = Math.max(counts.lastPosition, outcome.result.position);
        if (outcome.result.replayed) counts.alreadyIssued += 1;
        else counts.issued += 1;
      } else if (outcome.kind === 'refused') {
        counts.refused += 1;
        this.refusedKeys.add(key);
      } else {
        counts.failed += 1;
      }
    }
    // Forget refusals of deadlines that are no longer due (settled, moved): the memory stays bounded.
    if (!stopped) this.refusedKeys = new Set([...this.refusedKeys].filter((key) => keysStillDue.has(key)));
    const report: TickReport = { today, due: due.length, ...counts, stopped };
    this.log({ level: due.length > 0 ? 'info' : 'debug', msg: 'deadline tick', ...report });
    return report;
  }

  /** Every pending deadline due on or before `today`, oldest first. */
  private async dueOn(today: IsoDate): Promise<Deadline[]> {
    // Read everything first, then issue: issuing removes documents behind us, which would shift the
    // offsets of later pages. A document missed because of a concurrent change is read next tick.
    const byId = new Map<string, Deadline>();
    for (let offset = 0; ; offset += this.pageSize) {
      const page = await this.documents.query<DeadlineDocument>(DEADLINES_PROJECTION, {
        sortKeyUpTo: today,
        limit: this.pageSize,
        offset,
      });
      for (const { id, doc } of page.items) {
        if (isPendingDeadline(doc) && doc.dueOn <= today) byId.set(id, doc);
      }
      if (page.items.length < this.pageSize) break;
    }
    return [...byId.values()].sort(
      (a, b) =>
        a.dueOn.localeCompare(b.dueOn) ||
        a.recordId.localeCompare(b.recordId) ||
        a.command.localeCompare(b.command),
    );
  }

  private async issue(
    deadline: Deadline,
    key: string,
    now: string,
  ): Promise<{ kind: 'done'; result: CommandResult } | { kind: 'refused' } | { kind: 'failed' }> {
    const request = {
      type: deadline.command,
      data: { subjectId: deadline.subjectId, recordId: deadline.recordId },
    } as SubjectCommandRequest;
    const correlationId = uuidV7();
    const about = {
      command: deadline.command,
      subjectId: deadline.subjectId,
      recordId: deadline.recordId,
      dueOn: deadline.dueOn,
      idempotencyKey: key,
      correlationId,
    };
    try {
      const result = await this.commands.execute(request, {
        now,
        actor: SCHEDULER_ACTOR,
        correlationId,
        causationId: deadline.startedBy,
        idempotencyKey: key,
        requestHash: createHash('sha256')
          .update(canonicalJson([SCHEDULER_ACTOR.userId, request.type, request.data]))
          .digest('hex'),
      });
      this.log({
        level: 'debug',
        msg: result.replayed ? 'deadline command already issued' : 'deadline command issued',
        ...about,
        eventTypes: result.eventTypes,
        position: result.position,
      });
      return { kind: 'done', result };
    } catch (error) {
      // A refusal is an answer, not an outage: retrying it every tick would change nothing but the log.
      if (error instanceof DomainError || error instanceof IdempotencyKeyReused) {
        this.log({
          level: 'warn',
          msg: 'deadline command refused; not retried while this process runs',
          ...about,
          code: error.code,
          reason: error.message,
          details: error instanceof DomainError ? error.details : undefined,
        });
        return { kind: 'refused' };
      }
      this.log({
        level: 'error',
        msg: 'deadline command failed; retried next tick',
        ...about,
        error: describe(error),
      });
      return { kind: 'failed' };
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
