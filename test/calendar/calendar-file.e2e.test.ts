// The two ways a year reaches the ledger besides HTTP: LEDGER_CALENDAR_FILE, imported at start as events
// (once, whatever the number of processes or restarts), and `ledger-cli publish-calendar-year FILE`.
// The 2027 arrangement is ILLUSTRATIVE: the real notice is not in this repository.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidV7, WorkingCalendars } from '@ledger/application';
import { addWorkingDays, CALENDAR_STREAM_ID } from '@ledger/domain';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { EXIT, run } from '../../apps/ledger-cli/src/main';
import { loadConfig } from '@ledger/runtime';
import {
  illustrative2027,
  illustrative2027Notice,
} from '../../libs/domain/src/calendar/testing/calendar-fixtures';
import { startLedger } from '../support/ledger-app';

const year2027 = { ...illustrative2027, notice: illustrative2027Notice };

describe('a year from a file', () => {
  let dir: string;
  const file = (content: unknown) => {
    const path = join(dir, `calendar-${uuidV7()}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const calendarStreamIn = async (dataDir: string) => {
    const store: EventStore = await SqliteEventStore.open({ dataDir });
    try {
      return await store.readStream(CALENDAR_STREAM_ID);
    } finally {
      await store.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-calendar-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('LEDGER_CALENDAR_FILE', () => {
    it('records its years as events at start, once across restarts; the ledger then decides with them', async () => {
      const dataDir = mkdtempSync(join(dir, 'data-'));
      const env = { LEDGER_CALENDAR_FILE: file({ years: [year2027] }) };
      for (let start = 0; start < 2; start++) {
        const ledger = await startLedger('sqlite', { calendarFile: loadConfig(env).calendarFile, dataDir });
        const calendar = ledger.app.get(WorkingCalendars).current();
        expect(addWorkingDays(calendar, '2026-12-28', 7)).toBe('2027-01-07');
        await ledger.app.close();
      }
      const events = await calendarStreamIn(dataDir);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'CalendarYearPublished',
        data: year2027,
        metadata: { actor: { userId: 'calendar-file', role: 'system' } },
      });
    });

    it('refuses to start on a file of the wrong shape, naming the file and the fault', () => {
      const bad = [
        ['{not json', /LEDGER_CALENDAR_FILE .*calendar-.*\.json: /],
        [{ ...year2027, holidays: '2027-01-01' }, /\n\s+LEDGER_CALENDAR_FILE .*: holidays must be an array/],
        [{ years: {} }, /expected \{"years": \[\.\.\.\]\}/],
        [{ years: [{ ...year2027, holidays: '2027-01-01' }] }, /years\[0\]\.holidays must be an array/],
        [
          { years: [{ year: 2027, holidays: ['2027-01-01'] }] },
          /years\[0\]\.notice is required: \{documentNumber, title, publishedOn\}/,
        ],
      ] as const;
      for (const [content, message] of bad) {
        expect(() => loadConfig({ LEDGER_CALENDAR_FILE: file(content) })).toThrow(message);
      }
      expect(() => loadConfig({ LEDGER_CALENDAR_FILE: join(dir, 'missing.json') })).toThrow(/ENOENT/);
    });

    it('refuses to start on an arrangement the calendar refuses, and records nothing', async () => {
      const dataDir = mkdtempSync(join(dir, 'data-'));
      const env = { LEDGER_CALENDAR_FILE: file({ years: [{ ...year2027, holidays: ['2027-02-11'] }] }) };
      await expect(
        startLedger('sqlite', { calendarFile: loadConfig(env).calendarFile, dataDir }),
      ).rejects.toThrow(/LEDGER_CALENDAR_FILE .*: years\[0\]: CALENDAR.NEW_YEAR_MISSING/);
      expect(await calendarStreamIn(dataDir)).toEqual([]);
    });
  });

  describe('ledger-cli publish-calendar-year', () => {
    const saved = { ...process.env };
    let dataDir: string;
    let out: string[];
    let err: string[];
    beforeEach(() => {
      dataDir = mkdtempSync(join(dir, 'cli-'));
      Object.assign(process.env, { LEDGER_DATA_DIR: dataDir, LEDGER_CLI_USER: 'admin-wang' });
      delete process.env.DATABASE_URL;
      delete process.env.LEDGER_CALENDAR_FILE;
      out = [];
      err = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    });
    afterEach(() => {
      jest.restoreAllMocks();
      process.env = { ...saved };
    });

    it('records the year from the notice in the file, as the CLI user acting as admin, and prints the event', async () => {
      expect(await run(['publish-calendar-year', file(year2027)])).toBe(EXIT.ok);
      expect(JSON.parse(out.join(''))).toMatchObject({
        type: 'CalendarYearPublished',
        data: year2027,
        metadata: { actor: { userId: 'admin-wang', role: 'admin', department: 'ledger-cli' } },
      });
      const store = await SqliteEventStore.open({ dataDir });
      try {
        const calendars = await WorkingCalendars.open(store);
        expect(calendars.years().at(-1)).toMatchObject({
          year: 2027,
          source: { notice: illustrative2027Notice },
        });
      } finally {
        await store.close();
      }
    });

    it('says why a year is refused, with its code, and records nothing', async () => {
      expect(await run(['publish-calendar-year', file(year2027)])).toBe(EXIT.ok);
      err = [];
      expect(await run(['publish-calendar-year', file(year2027)])).toBe(EXIT.error);
      expect(err.join('')).toMatch(/^ledger-cli: CALENDAR.YEAR_ALREADY_KNOWN: 2027 is already recorded/);
      expect(await run(['publish-calendar-year', '--amend', file({ ...year2027, year: 2031 })])).toBe(
        EXIT.notFound,
      );
      expect(await calendarStreamIn(dataDir)).toHaveLength(1);
    });

    it('treats a missing or malformed file as a usage error', async () => {
      expect(await run(['publish-calendar-year'])).toBe(EXIT.usage);
      expect(await run(['publish-calendar-year', file('[1, 2]')])).toBe(EXIT.usage);
      expect(err.join('')).toContain('expected {"year": ...} or {"years": [...]}');
    });
  });
});
