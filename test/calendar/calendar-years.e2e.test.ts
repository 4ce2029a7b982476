// The 2027 calendar over HTTP, on both backends: a penalty whose 7-working-day reporting deadline runs into
// 2027 is refused while no one has recorded 2027, and accepted once an admin publishes the State Council's
// notice — by the process that recorded it and by a second one on the same database, without a restart —
// with the deadline counted on the published holidays. Bad publications are 4xx and change nothing.
//
// The 2027 arrangement is ILLUSTRATIVE (libs/domain/src/calendar/testing/calendar-fixtures.ts): the real
// notice is not in this repository. If the bundled package starts shipping 2027, "refused before" fails
// here on purpose: move the scenario to the next year the package lacks.
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { WorkingCalendars } from '@ledger/application';
import { CALENDAR_STREAM_ID, usccCheckCharacter } from '@ledger/domain';
import {
  illustrative2027,
  illustrative2027Notice,
} from '../../libs/domain/src/calendar/testing/calendar-fixtures';
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

/**
 * Runs this process's clock from `instant` on: the API stamps commands with the clock, and a decision on
 * 28 December can only be recorded once that day has come. Everything else about time keeps working.
 */
function moveClockTo(instant: string): () => void {
  const RealDate = Date;
  const offset = RealDate.parse(instant) - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}

const SIMING_BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };
let serial = 0;
const newUscc = () => {
  const first17 = `52350203MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

/** Decided on Monday 28 December 2026; 7 working days later is in 2027. */
const penaltyAcrossNewYear = () => ({
  documentNumber: `思教罚决字〔2026〕第${++serial}号`,
  offenceType: '未取得办学许可证擅自开展学科类校外培训',
  facts: '经查，当事人在未取得办学许可证的情况下面向中小学生开展学科类培训。',
  legalBasis: '《校外培训行政处罚暂行办法》第十四条',
  categories: ['fine'],
  content: '责令停止违法行为，并处罚款人民币2万元。',
  fineAmountTenThousandYuan: 2,
  decisionDate: '2026-12-28',
  authority: SIMING_BUREAU,
  severity: 'general',
});

const publication = { ...illustrative2027, notice: illustrative2027Notice };

describe.each<Backend>(['sqlite', 'postgres'])('the 2027 calendar over HTTP (%s)', (backend) => {
  let restoreClock: () => void;
  let first: RunningLedger;
  let second: RunningLedger;
  let subjectId: string;

  beforeAll(async () => {
    restoreClock = moveClockTo('2026-12-31T02:00:00.000Z'); // Beijing 10:00, Thursday 31 December 2026
    first = await startLedger(backend);
    // A second process on the same database: an API process beside the first.
    second = await startLedger(backend, {
      runWorkers: false,
      dataDir: first.config.dataDir,
      databaseSchema: first.config.databaseSchema,
    });
    subjectId = await first.register('training_institution', '厦门市思明区启航培训学校', newUscc());
  });
  afterAll(async () => {
    // stop() removes the shared data: the last one out does it.
    await second?.app.close();
    await first?.stop();
    restoreClock?.();
  });

  const recordPenalty = (ledger: RunningLedger) =>
    ledger.command(`subjects/${subjectId}/penalties`, penaltyAcrossNewYear());
  const publish = (body: unknown, as: string = KEYS.national, headers: Record<string, string> = {}) =>
    first.request('POST', '/api/v1/calendar/years', body, headers, as);
  const reportingOf = async (ledger: RunningLedger, recordId: string) => {
    const events = await ledger.app.get<EventStore>(EVENT_STORE).readStream(`subject-${subjectId}`);
    const recorded = events.find(
      (e) => e.type === 'PenaltyRecorded' && (e.data as { recordId: string }).recordId === recordId,
    );
    return (recorded!.data as { reporting: unknown }).reporting;
  };
  const calendarEvents = () => first.eventCount(CALENDAR_STREAM_ID);

  it('refuses the penalty in both processes with CALENDAR.YEAR_UNKNOWN while 2027 is unknown, writing nothing', async () => {
    for (const ledger of [first, second]) {
      // Counted in the shared storage, whichever process answers.
      const response = await first.refuses(() => recordPenalty(ledger));
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({
        code: 'CALENDAR.YEAR_UNKNOWN',
        details: { year: 2027 },
      });
    }
    const listed = await first.request('GET', '/api/v1/calendar/years');
    expect(listed.status).toBe(200);
    expect(listed.body.years.at(-1)).toMatchObject({
      year: 2026,
      source: { kind: 'package', package: 'chinese-days' },
    });
  });

  it('describes the calendar endpoints in the OpenAPI document', async () => {
    const { body } = await first.request('GET', '/docs/openapi.json');
    const publishing = body.paths['/api/v1/calendar/years'].post;
    expect(Object.keys(publishing.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '409']));
    expect(body.paths['/api/v1/calendar/years'].get.responses['200']).toBeDefined();
    expect(body.paths['/api/v1/calendar/years/{year}/amendments'].post.responses['201']).toBeDefined();
  });

  describe('publications that are refused, and change nothing', () => {
    const refusedWith = async (
      send: () => ReturnType<RunningLedger['request']>,
      status: number,
      code: string,
      field?: string,
    ) => {
      const before = await calendarEvents();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      if (field) expect(response.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await calendarEvents()).toBe(before);
      return response;
    };

    it('from a caller who is not an admin, or has no key', async () => {
      await refusedWith(() => publish(publication, KEYS.xiamen), 403, 'ACCESS.PERMISSION_REQUIRED');
      await refusedWith(() => publish(publication, ''), 401, 'AUTH.MISSING_API_KEY');
    });

    it('of a year the package ships', async () => {
      const response = await refusedWith(
        () => publish({ ...publication, year: 2026, holidays: ['2026-01-01'], makeUpWorkingDays: [] }),
        409,
        'CALENDAR.YEAR_ALREADY_KNOWN',
      );
      expect(response.body.error.details).toMatchObject({ year: 2026, source: 'package' });
    });

    it('with a date outside the year, a weekday make-up day, or no New Year’s Day', async () => {
      await refusedWith(
        () => publish({ ...publication, holidays: [...illustrative2027.holidays, '2028-01-01'] }),
        400,
        'CALENDAR.DATE_OUTSIDE_YEAR',
        'holidays[12]',
      );
      await refusedWith(
        () => publish({ ...publication, makeUpWorkingDays: ['2027-02-19'] }),
        400,
        'CALENDAR.MAKE_UP_DAY_NOT_WEEKEND',
        'makeUpWorkingDays[0]',
      );
      await refusedWith(
        () => publish({ ...publication, holidays: illustrative2027.holidays.slice(1) }),
        400,
        'CALENDAR.NEW_YEAR_MISSING',
        'holidays',
      );
    });

    it('that is malformed, naming each field', async () => {
      const { notice: _notice, ...withoutNotice } = publication;
      await refusedWith(() => publish(withoutNotice), 400, 'INPUT.VALIDATION_FAILED', 'notice');
      await refusedWith(
        () => publish({ ...publication, year: '2027', holidays: '2027-01-01' }),
        400,
        'INPUT.VALIDATION_FAILED',
        'holidays',
      );
      await refusedWith(
        () => publish({ ...publication, notice: { ...illustrative2027Notice, publishedOn: '2026-11-31' } }),
        400,
        'INPUT.VALIDATION_FAILED',
        'notice.publishedOn',
      );
      await refusedWith(
        () => publish({ ...publication, holidays: ['2027-01-01', '2027-02-30'] }),
        400,
        'INPUT.INVALID_DATE',
        'holidays[1]',
      );
      await refusedWith(() => publish('{"year": 2027,'), 400, 'HTTP.BAD_REQUEST');
    });
  });

  describe('once an admin publishes 2027', () => {
    let published: { id: string; position: number };

    beforeAll(async () => {
      const response = await publish(publication, KEYS.national, { 'idempotency-key': 'notice-2027' });
      expect(response.status).toBe(201);
      published = response.body;
      expect(response.body).toMatchObject({
        type: 'CalendarYearPublished',
        streamId: CALENDAR_STREAM_ID,
        data: publication,
        recordedBy: { userId: 'u-national', role: 'admin' },
        replayed: false,
      });
    });

    it('answers a retried request with its first answer, and a second publication with 409', async () => {
      const retried = await publish(publication, KEYS.national, { 'idempotency-key': 'notice-2027' });
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({ id: published.id, replayed: true });
      const again = await publish({
        ...publication,
        notice: { ...illustrative2027Notice, documentNumber: '国办发明电〔2026〕98号' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        code: 'CALENDAR.YEAR_ALREADY_KNOWN',
        details: { source: 'notice', documentNumber: illustrative2027Notice.documentNumber },
      });
      expect(await calendarEvents()).toBe(1);
    });

    it('accepts the penalty, its deadline counted with New Year’s Day 2027 off', async () => {
      const response = await recordPenalty(first);
      expect(response.status).toBe(201);
      // 29, 30, 31 December; 1-3 January off; 4, 5, 6, 7 January.
      expect(await reportingOf(first, response.body.recordId)).toEqual({
        reportedOn: '2026-12-31',
        deadline: '2027-01-07',
        late: false,
      });
    });

    it('and so does the second process, which loaded the calendar before 2027 was recorded', async () => {
      const response = await recordPenalty(second);
      expect(response.status).toBe(201);
      expect(await reportingOf(second, response.body.recordId)).toMatchObject({ deadline: '2027-01-07' });
    });

    it('lists 2027 in both processes with its notice and who recorded it', async () => {
      for (const ledger of [first, second]) {
        const { body } = await ledger.request('GET', '/api/v1/calendar/years', undefined, {}, KEYS.xiamen);
        expect(body.years.at(-1)).toEqual({
          ...illustrative2027,
          source: {
            kind: 'notice',
            notice: illustrative2027Notice,
            eventId: published.id,
            eventType: 'CalendarYearPublished',
            position: published.position,
            recordedAt: expect.any(String),
            recordedBy: expect.objectContaining({ userId: 'u-national' }),
          },
          replaced: [],
        });
      }
    });

    it('still knows 2027 after a restart, from the stream', async () => {
      await second.app.close();
      second = await startLedger(backend, {
        runWorkers: false,
        dataDir: first.config.dataDir,
        databaseSchema: first.config.databaseSchema,
      });
      expect(second.app.get(WorkingCalendars).current().isWorkingDay('2027-01-01')).toBe(false);
      expect((await recordPenalty(second)).status).toBe(201);
    });

    it('an amendment moves the deadlines decided after it, never those decided before', async () => {
      const before = await recordPenalty(first);
      const amended = await first.request('POST', '/api/v1/calendar/years/2027/amendments', {
        holidays: [...illustrative2027.holidays, '2027-01-04'],
        makeUpWorkingDays: illustrative2027.makeUpWorkingDays,
        notice: {
          documentNumber: '国办发明电〔2026〕100号',
          title: '国务院办公厅关于调整2027年元旦假期的通知（示例）',
          publishedOn: '2026-12-30',
        },
      });
      expect(amended.status).toBe(201);
      expect(amended.body).toMatchObject({
        type: 'CalendarYearAmended',
        data: { amends: { source: 'notice', documentNumber: illustrative2027Notice.documentNumber } },
      });
      const after = await recordPenalty(first);
      expect(await reportingOf(first, after.body.recordId)).toMatchObject({ deadline: '2027-01-08' });
      expect(await reportingOf(first, before.body.recordId)).toMatchObject({ deadline: '2027-01-07' });

      const unknownYear = await first.request('POST', '/api/v1/calendar/years/2031/amendments', {
        ...publication,
        year: undefined,
      });
      expect(unknownYear.status).toBe(404);
      expect(unknownYear.body.error.code).toBe('CALENDAR.YEAR_NOT_FOUND');
      const badYear = await first.request('POST', '/api/v1/calendar/years/27/amendments', {});
      expect(badYear.status).toBe(400);
      expect(badYear.body.error.fields).toEqual([{ field: 'year', reasons: [expect.any(String)] }]);
    });
  });
});
