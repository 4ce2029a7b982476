// WorkingCalendars against the real embedded store: two instances on one store stand for two processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addWorkingDays,
  CALENDAR_STREAM_ID,
  CalendarYearUnknown,
  type ShippedCalendar,
  type WorkingCalendar,
} from '@ledger/domain';
import {
  illustrative2027,
  illustrative2027Notice,
  shippedUpTo2026,
} from '@ledger/domain/calendar/testing/calendar-fixtures';
import { SqliteEventStore } from '@ledger/event-store';
import { uuidV7 } from '../uuid-v7';
import { WorkingCalendars, type CalendarLog } from './working-calendars';

const admin = { userId: 'admin-1', role: 'admin', department: 'ministry', jurisdiction: '000000' };
const context = () => ({ now: '2026-12-07T02:00:00Z', actor: admin, correlationId: uuidV7() });
const publish2027 = {
  type: 'PublishCalendarYear' as const,
  data: { ...illustrative2027, notice: illustrative2027Notice },
};
const amendment = {
  documentNumber: '国办发明电〔2026〕100号',
  title: '国务院办公厅关于2027年春节假期调整的通知（示例）',
  publishedOn: '2026-12-01',
};

/** The 7-working-day reporting deadline of a decision taken on Monday 28 December 2026. */
const deadlineAcrossNewYear = (calendar: WorkingCalendar) => addWorkingDays(calendar, '2026-12-28', 7);

class Recorded implements CalendarLog {
  readonly entries: Array<{ level: string; msg: unknown }> = [];
  log(entry: Record<string, unknown>) {
    this.entries.push({ level: 'info', msg: entry.msg });
  }
  warn(entry: Record<string, unknown>) {
    this.entries.push({ level: 'warn', msg: entry.msg });
  }
  get warnings() {
    return this.entries.filter((e) => e.level === 'warn').map((e) => String(e.msg));
  }
}

describe('WorkingCalendars', () => {
  let dir: string;
  let store: SqliteEventStore;
  const open = (options: { shipped?: ShippedCalendar; log?: CalendarLog } = {}) =>
    WorkingCalendars.open(store, { shipped: shippedUpTo2026, ...options });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calendars-'));
    store = await SqliteEventStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('on an empty calendar stream', () => {
    it('knows the shipped years, from the package', async () => {
      const calendars = await open();
      expect(() => deadlineAcrossNewYear(calendars.current())).toThrow(CalendarYearUnknown);
      expect(calendars.years().map((y) => [y.year, y.source])).toEqual([
        [2025, { kind: 'package', package: 'chinese-days', version: '1.5.7' }],
        [2026, { kind: 'package', package: 'chinese-days', version: '1.5.7' }],
      ]);
    });
  });

  describe('publishing a year', () => {
    it('uses it here as soon as the command returns, and answers with the stored event', async () => {
      const calendars = await open();
      const before = calendars.current();
      const result = await calendars.execute(publish2027, context());
      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'CalendarYearPublished',
          streamId: CALENDAR_STREAM_ID,
          revision: 0,
          data: { ...illustrative2027, notice: illustrative2027Notice },
          metadata: expect.objectContaining({ actor: admin, occurredAt: '2026-11-10T00:00:00+08:00' }),
        }),
      ]);
      expect(result.events[0]!.metadata.policyVersion).toBeUndefined();
      // New Year's Day 2027 is off, so the seventh working day is Thursday 7 January.
      expect(deadlineAcrossNewYear(calendars.current())).toBe('2027-01-07');
      expect(() => deadlineAcrossNewYear(before)).toThrow(CalendarYearUnknown);
      expect(calendars.years().at(-1)).toMatchObject({
        year: 2027,
        source: {
          kind: 'notice',
          notice: illustrative2027Notice,
          recordedBy: admin,
          eventId: result.eventIds[0],
        },
        replaced: [],
      });
    });

    it('is known to an instance opened later, from the stream alone', async () => {
      await (await open()).execute(publish2027, context());
      expect(deadlineAcrossNewYear((await open()).current())).toBe('2027-01-07');
    });

    it('refuses what the decider refuses, and writes nothing', async () => {
      const calendars = await open();
      await expect(
        calendars.execute({ ...publish2027, data: { ...publish2027.data, year: 2026 } }, context()),
      ).rejects.toMatchObject({ code: 'CALENDAR.YEAR_ALREADY_KNOWN' });
      expect(await store.readStream(CALENDAR_STREAM_ID)).toEqual([]);
    });
  });

  describe('a decision in another process that meets a year this one did not know', () => {
    it('is decided once more after reading the stream again, and succeeds', async () => {
      const here = await open();
      const elsewhere = await open();
      await elsewhere.execute(publish2027, context());
      let attempts = 0;
      const decide = here.retryOnUnknownYear(async () => {
        attempts += 1;
        return deadlineAcrossNewYear(here.current());
      });
      await expect(decide()).resolves.toBe('2027-01-07');
      expect(attempts).toBe(2);
      // Known now: decided at once.
      await decide();
      expect(attempts).toBe(3);
    });

    it('is refused with the original error when the stream has nothing new', async () => {
      const calendars = await open();
      let attempts = 0;
      const decide = calendars.retryOnUnknownYear(async () => {
        attempts += 1;
        return deadlineAcrossNewYear(calendars.current());
      });
      await expect(decide()).rejects.toMatchObject({ code: 'CALENDAR.YEAR_UNKNOWN', year: 2027 });
      expect(attempts).toBe(1);
    });

    it('passes other failures through untouched, without a read', async () => {
      const calendars = await open();
      const refused = new Error('store down');
      await expect(calendars.retryOnUnknownYear(() => Promise.reject(refused))()).rejects.toBe(refused);
    });
  });

  describe('an amendment made in another process', () => {
    it('reaches this one on its timer, and the listing says what it replaced', async () => {
      const here = await open();
      const elsewhere = await open();
      await elsewhere.execute(publish2027, context());
      await here.refresh();
      const published = here.current();
      const amended = await elsewhere.execute(
        {
          type: 'AmendCalendarYear',
          data: {
            ...illustrative2027,
            holidays: [...illustrative2027.holidays, '2027-01-04'],
            notice: amendment,
          },
        },
        context(),
      );
      here.start(20);
      try {
        const deadline = Date.now() + 5_000;
        while (deadlineAcrossNewYear(here.current()) !== '2027-01-08' && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        await here.stop();
      }
      expect(deadlineAcrossNewYear(here.current())).toBe('2027-01-08');
      // A calendar taken before keeps its days: what was decided with it stays as decided.
      expect(deadlineAcrossNewYear(published)).toBe('2027-01-07');
      const year2027 = here.years().find((y) => y.year === 2027)!;
      expect(year2027.source).toMatchObject({
        kind: 'notice',
        notice: amendment,
        eventId: amended.eventIds[0],
      });
      expect(year2027.replaced).toEqual([
        expect.objectContaining({ kind: 'notice', notice: illustrative2027Notice }),
      ]);
      expect(year2027.holidays).toContain('2027-01-04');
    });

    it('of a shipped year lists the package version it replaced', async () => {
      const calendars = await open();
      const shipped2026 = shippedUpTo2026.arrangementOf(2026)!;
      await calendars.execute(
        {
          type: 'AmendCalendarYear',
          data: { ...shipped2026, holidays: [...shipped2026.holidays, '2026-10-08'], notice: amendment },
        },
        context(),
      );
      expect(calendars.current().isWorkingDay('2026-10-08')).toBe(false);
      expect(calendars.years().find((y) => y.year === 2026)!.replaced).toEqual([
        { kind: 'package', package: 'chinese-days', version: '1.5.7' },
      ]);
    });
  });

  describe('importing LEDGER_CALENDAR_FILE', () => {
    const file = '/etc/ledger/calendar.json';
    const year2027 = { ...illustrative2027, notice: illustrative2027Notice };

    it('records a year the ledger does not know, as the system, once across processes starting together', async () => {
      const [one, other] = await Promise.all([open(), open()]);
      await Promise.all([
        one.importYears([year2027], file, '2026-12-07T02:00:00Z'),
        other.importYears([year2027], file, '2026-12-07T02:00:00Z'),
      ]);
      const events = await store.readStream(CALENDAR_STREAM_ID);
      expect(events.map((e) => [e.type, e.metadata.actor?.userId])).toEqual([
        ['CalendarYearPublished', 'calendar-file'],
      ]);
      expect(deadlineAcrossNewYear(one.current())).toBe('2027-01-07');
      expect(deadlineAcrossNewYear(other.current())).toBe('2027-01-07');
    });

    it('leaves a known year as the ledger holds it; a file that differs is said in a warning', async () => {
      const log = new Recorded();
      const calendars = await open({ log });
      await calendars.execute(publish2027, context());
      await calendars.importYears([year2027], file, '2026-12-07T02:00:00Z');
      expect(log.warnings).toEqual([]);
      await calendars.importYears(
        [
          { ...year2027, holidays: illustrative2027.holidays.slice(0, 3) },
          { ...shippedUpTo2026.arrangementOf(2026)!, holidays: ['2026-01-01'], notice: amendment },
        ],
        file,
        '2026-12-07T02:00:00Z',
      );
      expect(log.warnings).toEqual([
        expect.stringContaining(`${file} gives 2027 otherwise than the ledger holds it`),
        expect.stringContaining(`${file} gives 2026 otherwise than the ledger holds it`),
      ]);
      expect(await store.readStream(CALENDAR_STREAM_ID)).toHaveLength(1);
    });

    it('stops the start on an arrangement the decider refuses, naming the file, the entry and the code', async () => {
      const calendars = await open();
      await expect(
        calendars.importYears(
          [year2027, { year: 2028, holidays: ['2028-02-01'], makeUpWorkingDays: [], notice: amendment }],
          file,
          '2026-12-07T02:00:00Z',
        ),
      ).rejects.toThrow(`LEDGER_CALENDAR_FILE ${file}: years[1]: CALENDAR.NEW_YEAR_MISSING`);
    });
  });

  it('warns at open when the package ships a recorded year otherwise than its notice; the notice stands', async () => {
    await (await open()).execute(publish2027, context());
    const log = new Recorded();
    const with2027: ShippedCalendar = {
      ...shippedUpTo2026,
      version: '1.6.0',
      years: [2025, 2026, 2027],
      arrangementOf: (year) =>
        year === 2027
          ? { year, holidays: ['2027-01-01'], makeUpWorkingDays: [] }
          : shippedUpTo2026.arrangementOf(year),
    };
    const calendars = await open({ shipped: with2027, log });
    expect(log.warnings).toEqual([
      expect.stringContaining(
        `chinese-days 1.6.0 gives 2027 otherwise than notice ${illustrative2027Notice.documentNumber}`,
      ),
    ]);
    expect(calendars.current().isWorkingDay('2027-02-08')).toBe(false);
  });
});
