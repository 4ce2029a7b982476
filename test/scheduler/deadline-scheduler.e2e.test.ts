// The deadline scheduler against the real pieces, on both backends: event store, read models fed by the
// projection runner, SubjectCommands. Time moves only through the scheduler's injected clock; the
// officials' commands carry their own `now`. The scheduler's four commands never consult the working
// calendar, so ticks in 2031 (a year the calendar does not know) succeed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeadlineScheduler,
  SCHEDULER_ACTOR,
  SubjectCommands,
  uuidV7,
  type SchedulerLogEntry,
  type SubjectCommandExecutor,
  type SubjectCommandRequest,
  type TickReport,
} from '@ledger/application';
import {
  PostgresEventStore,
  SqliteEventStore,
  type Actor,
  type EventStore,
  type StoredEvent,
} from '@ledger/event-store';
import {
  allProjections,
  PostgresDocumentStore,
  ProjectionRunner,
  SqliteDocumentStore,
  type CreditListEntry,
  type Deadline,
  type DeadlineDocument,
  type DocumentStore,
  type PenaltyDisclosure,
} from '@ledger/projections';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres';

type Backend = 'sqlite' | 'postgres';

const official: Actor = {
  userId: 'u-xiamen',
  role: 'official',
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};
const bureau = { name: '厦门市教育局', uscc: '11350200MB0123456A' };
/** Beijing 10:00 on a date. */
const on = (date: string): string => `${date}T02:00:00.000Z`;

describe.each<Backend>(['sqlite', 'postgres'])('deadline scheduler (%s)', (backend) => {
  let events: EventStore;
  let otherEvents: EventStore | undefined;
  let documents: DocumentStore;
  let runner: ProjectionRunner;
  let commands: SubjectCommands;
  let dataDir: string;
  const schema = uniqueSchema('sched');
  const logs: SchedulerLogEntry[] = [];

  // A: a training institution with an honour and a penalty. B: one with a commitment and a rectification notice.
  const a = { subjectId: uuidV7(), honourId: uuidV7(), penaltyId: uuidV7() };
  const b = { subjectId: uuidV7(), commitmentId: uuidV7(), rectificationId: uuidV7() };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-scheduler-'));
    if (backend === 'postgres') {
      await requirePostgres();
      events = await PostgresEventStore.open({
        connectionString: TEST_DATABASE_URL,
        schema,
        pollIntervalMs: 20,
      });
      // A second pool on the same schema: the second scheduler behaves like another process.
      otherEvents = await PostgresEventStore.open({
        connectionString: TEST_DATABASE_URL,
        schema,
        pollIntervalMs: 20,
      });
      documents = await PostgresDocumentStore.open({ connectionString: TEST_DATABASE_URL, schema });
    } else {
      events = await SqliteEventStore.open({ dataDir, pollIntervalMs: 20 });
      documents = await SqliteDocumentStore.open({ dataDir });
    }
    runner = new ProjectionRunner(events, documents, allProjections);
    await runner.start();
    commands = new SubjectCommands(events, { policyVersion: '2025-01' });
  });

  afterAll(async () => {
    await runner?.stop();
    await documents?.close();
    await otherEvents?.close();
    await events?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (backend === 'postgres') await dropSchema(schema);
  });

  /** Highest position written so far: the read models have caught up once they reached it. */
  let written = 0;
  const asOfficial = async (request: SubjectCommandRequest, date: string): Promise<void> => {
    const result = await commands.execute(request, {
      now: on(date),
      actor: official,
      correlationId: uuidV7(),
    });
    written = Math.max(written, result.position);
  };

  const schedulerAt = (instant: string, executor: SubjectCommandExecutor = commands): DeadlineScheduler =>
    new DeadlineScheduler(documents, executor, {
      clock: () => new Date(instant),
      pageSize: 2,
      log: (entry) => logs.push(entry),
    });

  const caughtUp = (report?: TickReport): Promise<void> => {
    written = Math.max(written, report?.lastPosition ?? 0);
    return runner.waitFor(written, 10_000);
  };
  const streamOf = (subjectId: string): Promise<StoredEvent[]> => events.readStream(`subject-${subjectId}`);
  /** Every event of both subjects, for "nothing new was written". */
  const eventCount = async (): Promise<number> =>
    (await streamOf(a.subjectId)).length + (await streamOf(b.subjectId)).length;
  const count = async (subjectId: string, type: string): Promise<number> =>
    (await streamOf(subjectId)).filter((event) => event.type === type).length;
  const pendingDeadlines = async (): Promise<Deadline[]> =>
    (
      await documents.query<DeadlineDocument>('deadlines', {
        sortKeyUpTo: '9999-12-31',
        limit: 100,
        offset: 0,
      })
    ).items.map(({ doc }) => doc as Deadline);
  const dueSummary = async () =>
    (await pendingDeadlines()).map((d) => `${d.dueOn} ${d.command} ${d.recordId}`);

  it('records the clocks the officials start: one deadline per pending change, dated by the domain’s rules', async () => {
    await asOfficial(
      {
        type: 'RegisterSubject',
        data: {
          subjectId: a.subjectId,
          kind: 'training_institution',
          name: '厦门某培训学校',
          identifier: '91350213678251743X',
          jurisdiction: '350213',
        },
      },
      '2025-12-01',
    );
    await asOfficial(
      {
        type: 'RegisterSubject',
        data: {
          subjectId: b.subjectId,
          kind: 'training_institution',
          name: '厦门另一培训学校',
          identifier: '91350200776049653A',
          jurisdiction: '350203',
        },
      },
      '2025-12-01',
    );
    // The honour first: once penalised, A is under joint discipline and may not receive honours.
    await asOfficial(
      {
        type: 'RecordHonour',
        data: {
          subjectId: a.subjectId,
          recordId: a.honourId,
          title: '厦门市诚信办学单位',
          category: 'commendation',
          awardingBody: bureau,
          awardedOn: '2025-12-10',
        },
      },
      '2025-12-10',
    );
    await asOfficial(
      {
        type: 'RecordPenalty',
        data: {
          subjectId: a.subjectId,
          recordId: a.penaltyId,
          documentNumber: '厦教罚〔2026〕1号',
          offenceType: 'Tutoring without a licence',
          facts: 'Ran subject tutoring for primary pupils without approval',
          legalBasis: 'Private Education Promotion Law Art. 62',
          categories: ['fine'],
          content: 'Fine of 20,000 yuan',
          fineAmountTenThousandYuan: 2,
          decisionDate: '2026-01-05',
          authority: bureau,
          severity: 'general',
        },
      },
      '2026-01-07',
    );
    await asOfficial(
      {
        type: 'SignCommitment',
        data: {
          subjectId: b.subjectId,
          recordId: b.commitmentId,
          code: '35020320260107000001',
          type: 'in_place_of_certificate',
          reason: 'Licence application',
          content: 'Fire safety certificate by the end of June',
          liabilityOnBreach: 'Licence withdrawn; recorded as dishonest',
          madeOn: '2026-01-07',
          validUntil: '2026-06-30',
          acceptingUnit: bureau,
          disclosure: 'public',
        },
      },
      '2026-01-07',
    );
    await asOfficial(
      {
        type: 'IssueRectificationNotice',
        data: {
          subjectId: b.subjectId,
          recordId: b.rectificationId,
          noticeNumber: '厦教整〔2026〕3号',
          finding: 'Fees collected more than three months in advance',
          requirements: 'Refund the excess and publish the fee schedule',
          issuedOn: '2026-01-07',
          deadline: '2026-03-31',
          issuingAuthority: bureau,
        },
      },
      '2026-01-07',
    );
    await caughtUp();

    expect(await dueSummary()).toEqual([
      `2026-04-01 MarkRectificationOverdue ${b.rectificationId}`, // the day after the deadline
      `2026-07-01 MarkCommitmentDue ${b.commitmentId}`, // the day after the last binding day
      `2027-01-05 EndPublicity ${a.penaltyId}`, // general tier: 12 months from the decision
      `2030-12-10 ExpireRecord ${a.honourId}`, // 5 years from the award
      `2031-01-05 ExpireRecord ${a.penaltyId}`, // 5 years from the decision
    ]);
    const publicity = (await documents.get<Deadline>('deadlines', `${a.penaltyId}:EndPublicity`))!;
    expect(publicity).toMatchObject({ subjectId: a.subjectId, jurisdiction: '350213', status: 'pending' });
    expect((await streamOf(a.subjectId)).find((e) => e.type === 'PenaltyRecorded')!.id).toBe(
      publicity.startedBy,
    );
    const inXiamenSiming = await documents.query<Deadline>('deadlines', {
      jurisdictionPrefix: '350203',
      sortKeyUpTo: '9999-12-31',
      limit: 10,
      offset: 0,
    });
    expect(inXiamenSiming.total).toBe(2);
    expect(await documents.get<PenaltyDisclosure>('penalty_disclosure', a.penaltyId)).toBeDefined();
    expect(await documents.get<CreditListEntry>('list_key_supervision', a.subjectId)).toMatchObject({
      reasons: [{ code: 'active_penalty' }],
    });
    expect(await documents.get('list_key_supervision', b.subjectId)).toBeUndefined();
  });

  it('on 2026-11-20 the rectification becomes overdue (B enters key supervision) and the commitment falls due', async () => {
    const report = await schedulerAt('2026-11-20T02:00:00Z').tick();
    expect(report).toMatchObject({
      today: '2026-11-20',
      due: 2,
      issued: 2,
      alreadyIssued: 0,
      refused: 0,
      failed: 0,
    });
    await caughtUp(report);

    const stream = await streamOf(b.subjectId);
    const overdue = stream.find((e) => e.type === 'RectificationOverdue')!;
    expect(overdue.data).toEqual({
      subjectId: b.subjectId,
      recordId: b.rectificationId,
      deadline: '2026-03-31',
    });
    expect(overdue.metadata).toMatchObject({
      actor: SCHEDULER_ACTOR,
      idempotencyKey: `scheduler/MarkRectificationOverdue:${b.rectificationId}:2026-04-01`,
      causationId: stream.find((e) => e.type === 'RectificationNoticeIssued')!.id,
    });
    const entered = stream.filter((e) => e.type === 'ListMembershipChanged');
    expect(entered.map((e) => e.data)).toEqual([
      expect.objectContaining({
        list: 'key_supervision',
        change: 'entered',
        reasons: [{ code: 'overdue_rectification', recordId: b.rectificationId }],
      }),
    ]);
    expect(entered[0]!.metadata.correlationId).toBe(overdue.metadata.correlationId);
    expect(await count(b.subjectId, 'CommitmentFellDue')).toBe(1);

    expect(await documents.get<CreditListEntry>('list_key_supervision', b.subjectId)).toMatchObject({
      reasons: [{ code: 'overdue_rectification', recordId: b.rectificationId }],
      enteredOn: '2026-11-20',
    });
    expect(await dueSummary()).toEqual([
      `2027-01-05 EndPublicity ${a.penaltyId}`,
      `2030-12-10 ExpireRecord ${a.honourId}`,
      `2031-01-05 ExpireRecord ${a.penaltyId}`,
    ]);
  });

  it('ticking again issues nothing new', async () => {
    const before = await eventCount();
    const scheduler = schedulerAt('2026-11-20T02:00:00Z');
    expect(await scheduler.tick()).toMatchObject({ due: 0, issued: 0 });
    expect(await scheduler.tick()).toMatchObject({ due: 0, issued: 0 });
    expect(await eventCount()).toBe(before);
  });

  it('a breached commitment starts its expiry clock where the subject is', async () => {
    await asOfficial(
      {
        type: 'RecordCommitmentOutcome',
        data: {
          subjectId: b.subjectId,
          recordId: b.commitmentId,
          outcome: 'not_kept',
          unkeptContent: 'No certificate',
          liabilityPursued: 'Licence application refused',
        },
      },
      '2026-11-25',
    );
    await caughtUp();
    expect(await documents.get('list_black', b.subjectId)).toBeDefined();
    expect(await documents.get<Deadline>('deadlines', `${b.commitmentId}:ExpireRecord`)).toMatchObject({
      status: 'pending',
      command: 'ExpireRecord',
      dueOn: '2031-11-25',
      subjectId: b.subjectId,
      jurisdiction: '350203',
    });
  });

  it('nothing is due before midnight in Beijing on the day publicity ends', async () => {
    // 15:59:59 UTC on 4 January is 23:59:59 in Beijing.
    expect(await schedulerAt('2027-01-04T15:59:59Z').tick()).toMatchObject({
      today: '2027-01-04',
      due: 0,
      issued: 0,
    });
  });

  it('two schedulers ticking at once end the publicity once; a tick before the read model caught up adds nothing', async () => {
    const instant = '2027-01-04T16:00:00Z'; // 00:00 on 5 January in Beijing
    const second = new SubjectCommands(otherEvents ?? events, { policyVersion: '2025-01' });
    // Both have read the deadline before either sends its command: the race is real, not a replay.
    const barrier = meetingOf(2);
    const racing = (executor: SubjectCommands) => ({
      execute: async (...args: Parameters<SubjectCommands['execute']>) => {
        await barrier();
        return executor.execute(...args);
      },
    });
    const [one, other] = await Promise.all([
      schedulerAt(instant, racing(commands)).tick(),
      schedulerAt(instant, racing(second)).tick(),
    ]);
    const both = [one, other];
    expect(both.map((r) => r.due)).toEqual([1, 1]);
    expect(sum(both, 'issued')).toBe(1);
    expect(sum(both, 'alreadyIssued')).toBe(1);
    expect(sum(both, 'refused') + sum(both, 'failed')).toBe(0);
    expect(await count(a.subjectId, 'PublicityEnded')).toBe(1);
    written = Math.max(written, one.lastPosition, other.lastPosition);

    // At once, before the read model has seen PublicityEnded: answered from the stream, nothing written.
    const before = await eventCount();
    const again = await schedulerAt(instant).tick();
    expect(again.issued).toBe(0);
    expect(await eventCount()).toBe(before);
    expect(await count(a.subjectId, 'PublicityEnded')).toBe(1);

    await caughtUp();
    // Publicity over: off the disclosure feed and off key supervision; the honour puts A on the red list.
    expect(await documents.get('penalty_disclosure', a.penaltyId)).toBeUndefined();
    expect(await documents.get('list_key_supervision', a.subjectId)).toBeUndefined();
    expect(await documents.get<CreditListEntry>('list_red', a.subjectId)).toMatchObject({
      reasons: [{ code: 'active_honour' }],
    });
    const changes = (await streamOf(a.subjectId))
      .filter((e) => e.type === 'ListMembershipChanged')
      .map((e) => e.data as { list: string; change: string; changedOn: string });
    expect(changes.slice(-2)).toEqual([
      expect.objectContaining({ list: 'red', change: 'entered', changedOn: '2027-01-05' }),
      expect.objectContaining({ list: 'key_supervision', change: 'left', changedOn: '2027-01-05' }),
    ]);
    expect(await dueSummary()).toEqual([
      `2030-12-10 ExpireRecord ${a.honourId}`,
      `2031-01-05 ExpireRecord ${a.penaltyId}`,
      `2031-11-25 ExpireRecord ${b.commitmentId}`,
    ]);
  });

  it('on 2031-02-01 the honour and the penalty expire, in a year the working calendar does not know', async () => {
    const report = await schedulerAt('2031-02-01T02:00:00Z').tick();
    expect(report).toMatchObject({ today: '2031-02-01', due: 2, issued: 2, refused: 0, failed: 0 });
    await caughtUp(report);
    expect(await count(a.subjectId, 'RecordExpired')).toBe(2);
    expect(await documents.get('list_red', a.subjectId)).toBeUndefined();
    expect(await dueSummary()).toEqual([`2031-11-25 ExpireRecord ${b.commitmentId}`]);

    const before = await eventCount();
    const scheduler = schedulerAt('2031-02-01T02:00:00Z');
    await scheduler.tick();
    await scheduler.tick();
    expect(await eventCount()).toBe(before);
  });

  it('on 2031-11-25 the breach stops counting: B leaves the black list, stays on key supervision', async () => {
    const report = await schedulerAt('2031-11-25T02:00:00Z').tick();
    expect(report).toMatchObject({ due: 1, issued: 1 });
    await caughtUp(report);
    expect(await documents.get('list_black', b.subjectId)).toBeUndefined();
    expect(await documents.get('list_key_supervision', b.subjectId)).toBeDefined();
    expect(await dueSummary()).toEqual([]);
    expect(logs.filter((entry) => entry.level === 'warn' || entry.level === 'error')).toEqual([]);
  });
});

/** Resolves for everyone once `parties` callers are waiting. */
function meetingOf(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

function sum(
  reports: readonly TickReport[],
  field: 'issued' | 'alreadyIssued' | 'refused' | 'failed',
): number {
  return reports.reduce((total, report) => total + report[field], 0);
}
