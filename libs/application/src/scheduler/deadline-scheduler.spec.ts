// The scheduler's own rules, against an in-memory read model and a recording command executor.
// End-to-end behaviour on both stores is in test/scheduler.
import { CalendarYearUnknown, RuleViolation } from '@ledger/domain';
import type { Deadline, DeadlineDocument, DocumentQuery, DocumentStore } from '@ledger/projections';
import type { CommandResult, RequestContext } from '../command-handler';
import type { SubjectCommandRequest } from '../subject-commands';
import {
  DeadlineScheduler,
  SCHEDULER_ACTOR,
  type SchedulerLogEntry,
  type SubjectCommandExecutor,
} from './deadline-scheduler';

const deadline = (recordId: string, command: Deadline['command'], dueOn: string): Deadline => ({
  status: 'pending',
  subjectId: `subject-of-${recordId}`,
  recordId,
  command,
  dueOn,
  jurisdiction: '350203',
  startedBy: `event-${recordId}`,
  lastPosition: 1,
});

/** The deadlines read model in memory, queried the way the stores do. */
class MemoryDeadlines {
  readonly docs = new Map<string, DeadlineDocument>();
  readonly queries: DocumentQuery[] = [];

  put(...docs: DeadlineDocument[]): this {
    for (const doc of docs) this.docs.set(`${doc.recordId}:${doc.command}`, doc);
    return this;
  }

  get store(): DocumentStore {
    return {
      query: async (projection: string, query: DocumentQuery) => {
        expect(projection).toBe('deadlines');
        this.queries.push(query);
        const matching = [...this.docs.entries()]
          .filter(
            ([, doc]) =>
              doc.dueOn !== null && (query.sortKeyUpTo === undefined || doc.dueOn <= query.sortKeyUpTo),
          )
          .sort(([a, x], [b, y]) => String(x.dueOn).localeCompare(String(y.dueOn)) || a.localeCompare(b));
        const items = matching
          .slice(query.offset, query.offset + query.limit)
          .map(([id, doc]) => ({ id, doc }));
        return { items, total: matching.length };
      },
    } as unknown as DocumentStore;
  }
}

type Behaviour = (request: SubjectCommandRequest, context: RequestContext) => Promise<CommandResult>;

class RecordingCommands implements SubjectCommandExecutor {
  readonly calls: Array<{ request: SubjectCommandRequest; context: RequestContext }> = [];
  private position = 100;
  constructor(private behaviour?: Behaviour) {}

  behave(behaviour: Behaviour | undefined): void {
    this.behaviour = behaviour;
  }

  execute(request: SubjectCommandRequest, context: RequestContext): Promise<CommandResult> {
    this.calls.push({ request, context });
    if (this.behaviour) return this.behaviour(request, context);
    this.position += 1;
    return Promise.resolve(result(this.position, false));
  }
}

const result = (position: number, replayed: boolean): CommandResult => ({
  streamId: 's',
  eventIds: ['e'],
  eventTypes: ['X'],
  revision: 1,
  position,
  replayed,
});

const at = (instant: string) => () => new Date(instant);

describe('DeadlineScheduler', () => {
  it("pages through every deadline due by today's Beijing date and issues each as the system actor", async () => {
    const deadlines = new MemoryDeadlines().put(
      deadline('r1', 'EndPublicity', '2026-03-03'),
      deadline('r2', 'MarkCommitmentDue', '2026-01-10'),
      deadline('r3', 'MarkRectificationOverdue', '2026-02-01'),
      deadline('r4', 'ExpireRecord', '2025-12-31'),
      deadline('r5', 'ExpireRecord', '2026-03-03'),
      deadline('r6', 'EndPublicity', '2026-03-04'),
      { ...deadline('r7', 'EndPublicity', '2026-01-01'), status: 'waiting', dueOn: null } as DeadlineDocument,
    );
    const commands = new RecordingCommands();
    // 16:30 UTC on 2 March is 00:30 on 3 March in Beijing.
    const scheduler = new DeadlineScheduler(deadlines.store, commands, {
      clock: at('2026-03-02T16:30:00Z'),
      pageSize: 2,
    });

    const report = await scheduler.tick();

    expect(report).toEqual({
      today: '2026-03-03',
      due: 5,
      issued: 5,
      alreadyIssued: 0,
      refused: 0,
      skipped: 0,
      failed: 0,
      lastPosition: 105,
      stopped: false,
    });
    expect(deadlines.queries.map((q) => [q.sortKeyUpTo, q.offset, q.limit])).toEqual([
      ['2026-03-03', 0, 2],
      ['2026-03-03', 2, 2],
      ['2026-03-03', 4, 2],
    ]);
    expect(commands.calls.map((c) => `${c.request.type}:${c.request.data.subjectId}`)).toEqual([
      'ExpireRecord:subject-of-r4',
      'MarkCommitmentDue:subject-of-r2',
      'MarkRectificationOverdue:subject-of-r3',
      'EndPublicity:subject-of-r1',
      'ExpireRecord:subject-of-r5',
    ]);
    const first = commands.calls[0]!;
    expect(first.request).toEqual({
      type: 'ExpireRecord',
      data: { subjectId: 'subject-of-r4', recordId: 'r4' },
    });
    expect(first.context).toMatchObject({
      now: '2026-03-02T16:30:00.000Z',
      actor: SCHEDULER_ACTOR,
      idempotencyKey: 'scheduler/ExpireRecord:r4:2025-12-31',
      causationId: 'event-r4',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(SCHEDULER_ACTOR).toEqual({
      userId: 'scheduler',
      role: 'system',
      department: 'credit-ledger',
      jurisdiction: '000000',
    });
  });

  it('the same deadline always gets the same key and request hash, so a second instance is answered from the stream', async () => {
    const deadlines = new MemoryDeadlines().put(deadline('r1', 'EndPublicity', '2026-03-03'));
    const one = new RecordingCommands();
    const other = new RecordingCommands(async () => result(7, true));
    await new DeadlineScheduler(deadlines.store, one, { clock: at('2026-03-03T02:00:00Z') }).tick();
    const report = await new DeadlineScheduler(deadlines.store, other, {
      clock: at('2026-03-05T02:00:00Z'),
    }).tick();
    expect(other.calls[0]!.context.idempotencyKey).toBe(one.calls[0]!.context.idempotencyKey);
    expect(other.calls[0]!.context.requestHash).toBe(one.calls[0]!.context.requestHash);
    expect(report).toMatchObject({ issued: 0, alreadyIssued: 1, lastPosition: 7 });
  });

  it('logs a domain refusal once and leaves that deadline alone; the others go on', async () => {
    const deadlines = new MemoryDeadlines().put(
      deadline('r1', 'EndPublicity', '2031-01-05'),
      deadline('r2', 'ExpireRecord', '2031-01-06'),
    );
    const commands = new RecordingCommands(async (request) => {
      if (request.data.subjectId === 'subject-of-r1') throw new CalendarYearUnknown('china', 2031);
      return result(9, false);
    });
    const logs: SchedulerLogEntry[] = [];
    const scheduler = new DeadlineScheduler(deadlines.store, commands, {
      clock: at('2031-02-01T02:00:00Z'),
      log: (e) => logs.push(e),
    });

    expect(await scheduler.tick()).toMatchObject({ due: 2, issued: 1, refused: 1, skipped: 0, failed: 0 });
    commands.behave(async () => result(9, true));
    expect(await scheduler.tick()).toMatchObject({ due: 2, alreadyIssued: 1, refused: 0, skipped: 1 });
    expect(await scheduler.tick()).toMatchObject({ skipped: 1 });

    expect(commands.calls.filter((c) => c.request.data.subjectId === 'subject-of-r1')).toHaveLength(1);
    const refusals = logs.filter((e) => e.level === 'warn');
    expect(refusals).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining('refused'),
        code: 'CALENDAR.YEAR_UNKNOWN',
        command: 'EndPublicity',
        recordId: 'r1',
        dueOn: '2031-01-05',
      }),
    ]);
    expect(logs.filter((e) => e.msg === 'deadline tick')).toEqual([
      expect.objectContaining({ level: 'info', due: 2, issued: 1, refused: 1 }),
      expect.objectContaining({ level: 'info', due: 2, skipped: 1 }),
      expect.objectContaining({ level: 'info', due: 2, skipped: 1 }),
    ]);
  });

  it('tries a refused deadline again when it comes back with another due date', async () => {
    const deadlines = new MemoryDeadlines().put(deadline('r1', 'EndPublicity', '2026-03-03'));
    const commands = new RecordingCommands(async () => {
      throw new RuleViolation('PUBLICITY.NOT_ACTIVE', 'repaired');
    });
    const scheduler = new DeadlineScheduler(deadlines.store, commands, { clock: at('2026-06-01T02:00:00Z') });
    expect(await scheduler.tick()).toMatchObject({ refused: 1 });
    deadlines.put(deadline('r1', 'EndPublicity', '2026-05-01'));
    commands.behave(undefined);
    expect(await scheduler.tick()).toMatchObject({ issued: 1, refused: 0, skipped: 0 });
  });

  it('retries other failures on the next tick', async () => {
    const deadlines = new MemoryDeadlines().put(deadline('r1', 'MarkRectificationOverdue', '2026-03-03'));
    const commands = new RecordingCommands(async () => {
      throw new Error('connection reset');
    });
    const logs: SchedulerLogEntry[] = [];
    const scheduler = new DeadlineScheduler(deadlines.store, commands, {
      clock: at('2026-03-03T02:00:00Z'),
      log: (e) => logs.push(e),
    });
    expect(await scheduler.tick()).toMatchObject({ failed: 1 });
    commands.behave(undefined);
    expect(await scheduler.tick()).toMatchObject({ failed: 0, issued: 1 });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', recordId: 'r1', error: 'Error: connection reset' }),
    );
  });

  it('does not overlap ticks, and stop() waits for the running tick, which ends after its command in flight', async () => {
    const deadlines = new MemoryDeadlines().put(
      deadline('r1', 'EndPublicity', '2026-03-01'),
      deadline('r2', 'EndPublicity', '2026-03-02'),
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let most = 0;
    const commands = new RecordingCommands(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await gate;
      inFlight -= 1;
      return result(5, false);
    });
    const scheduler = new DeadlineScheduler(deadlines.store, commands, { clock: at('2026-03-03T02:00:00Z') });
    const first = scheduler.tick();
    const second = scheduler.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(commands.calls).toHaveLength(1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await first).toMatchObject({ issued: 1, stopped: true });
    expect(await second).toMatchObject({ issued: 0, stopped: true });
    expect(most).toBe(1);
    expect(commands.calls).toHaveLength(1);
    // A tick asked for after stop() runs normally (tests drive the scheduler this way).
    expect(await scheduler.tick()).toMatchObject({ issued: 2, stopped: false });
  });

  it('start() ticks at once and then every interval until stop()', async () => {
    const deadlines = new MemoryDeadlines().put(deadline('r1', 'EndPublicity', '2026-03-01'));
    const commands = new RecordingCommands();
    const logs: SchedulerLogEntry[] = [];
    const scheduler = new DeadlineScheduler(deadlines.store, commands, {
      clock: at('2026-03-03T02:00:00Z'),
      intervalMs: 10,
      log: (e) => logs.push(e),
    });
    scheduler.start();
    await until(() => logs.filter((e) => e.msg === 'deadline tick').length >= 3);
    await scheduler.stop();
    const ticks = logs.filter((e) => e.msg === 'deadline tick').length;
    expect(ticks).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs.filter((e) => e.msg === 'deadline tick').length).toBe(ticks);
    expect(logs.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['deadline scheduler started', 'deadline scheduler stopped']),
    );
  });

  it('a failing read of the read model rejects the tick; the timer logs it and keeps ticking', async () => {
    let reads = 0;
    const store = {
      query: async () => {
        reads += 1;
        throw new Error('read model unavailable');
      },
    } as unknown as DocumentStore;
    const logs: SchedulerLogEntry[] = [];
    const scheduler = new DeadlineScheduler(store, new RecordingCommands(), {
      clock: at('2026-03-03T02:00:00Z'),
      intervalMs: 10,
      log: (e) => logs.push(e),
    });
    await expect(scheduler.tick()).rejects.toThrow('read model unavailable');
    scheduler.start();
    await until(() => reads >= 3);
    await scheduler.stop();
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', msg: expect.stringContaining('tick failed') }),
    );
  });
});

/** Waits for what the timer should bring about; on a loaded machine 10 ms intervals stretch. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
