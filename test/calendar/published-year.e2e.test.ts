// A year's holiday arrangement published after the bundled calendar was built: until it is known, a
// deadline running into that year is refused (never guessed); with LEDGER_CALENDAR_FILE it is computed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectCommands, uuidV7, type SubjectCommandRequest } from '@ledger/application';
import { toSubjectStreamId } from '@ledger/domain';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { loadConfig } from '@ledger/runtime';
import { penaltyDetails } from '../../libs/domain/src/subject/testing/subject-fixtures';

const official = {
  userId: 'u-xiamen',
  role: 'official',
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};
/** Beijing 10:00 on a date. */
const on = (date: string): string => `${date}T02:00:00.000Z`;

describe('a year published after the bundled calendar', () => {
  let dir: string;
  let store: EventStore;
  const calendarFile = (content: unknown) => {
    const file = join(dir, `calendar-${uuidV7()}.json`);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  // An illustrative arrangement, not the real one for 2027.
  const year2027 = { year: 2027, holidays: ['2027-01-01'], makeUpWorkingDays: [] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-calendar-'));
    store = await SqliteEventStore.open({ dataDir: dir });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = (date: string) => ({ now: on(date), actor: official, correlationId: uuidV7() });

  /** Registers a school and records a penalty decided 28 December 2026, reported on the 31st. */
  const penaliseAcrossNewYear = async (commands: SubjectCommands, subjectId = uuidV7()) => {
    const register: SubjectCommandRequest = {
      type: 'RegisterSubject',
      data: {
        subjectId,
        kind: 'training_institution',
        name: '厦门某培训学校',
        identifier: '91350213678251743X',
        jurisdiction: '350213',
      },
    } as SubjectCommandRequest;
    if ((await store.readStream(toSubjectStreamId(subjectId))).length === 0)
      await commands.execute(register, at('2026-12-01'));
    const penalty = {
      type: 'RecordPenalty',
      data: {
        subjectId,
        recordId: uuidV7(),
        ...penaltyDetails({ decisionDate: '2026-12-28' }),
        severity: 'general',
      },
    } as SubjectCommandRequest;
    return commands.execute(penalty, at('2026-12-31'));
  };

  it('refuses the penalty with CALENDAR.YEAR_UNKNOWN while 2027 is unknown, and writes nothing', async () => {
    const commands = new SubjectCommands(store, {
      policyVersion: '2025-01',
      calendar: () => loadConfig({}).calendar,
    });
    const subjectId = uuidV7();
    await expect(penaliseAcrossNewYear(commands, subjectId)).rejects.toMatchObject({
      code: 'CALENDAR.YEAR_UNKNOWN',
      year: 2027,
    });
    const stream = await store.readStream(toSubjectStreamId(subjectId));
    expect(stream.map((e) => e.type)).not.toContain('PenaltyRecorded');
  });

  it('records it once the arrangement is given in LEDGER_CALENDAR_FILE', async () => {
    const config = loadConfig({ LEDGER_CALENDAR_FILE: calendarFile({ years: [year2027] }) });
    const commands = new SubjectCommands(store, {
      policyVersion: config.policyVersion,
      calendar: () => config.calendar,
    });
    const result = await penaliseAcrossNewYear(commands);
    expect(result.eventTypes).toContain('PenaltyRecorded');
    const [recorded] = (await store.readStream(result.streamId)).filter((e) => e.type === 'PenaltyRecorded');
    // 7 working days after 28 December, counting New Year's Day off: 7 January 2027.
    expect(recorded!.data).toMatchObject({
      reporting: { deadline: '2027-01-07', late: false, reportedOn: '2026-12-31' },
    });
  });

  it('refuses to start on a calendar file that cannot be right, naming the file and the fault', () => {
    const bad = [
      ['{not json', /LEDGER_CALENDAR_FILE .*calendar-.*\.json: /],
      [{ year: 2027 }, /expected \{"years": \[\.\.\.\]\}/],
      [{ years: [{ ...year2027, holidays: '2027-01-01' }] }, /years\[0\]\.holidays must be an array/],
      [{ years: [{ ...year2027, holidays: ['2027-02-11'] }] }, /lacks New Year's Day/],
      [{ years: [{ ...year2027, year: 2025 }] }, /known already/],
    ] as const;
    for (const [content, message] of bad) {
      expect(() => loadConfig({ LEDGER_CALENDAR_FILE: calendarFile(content) })).toThrow(message);
    }
    expect(() => loadConfig({ LEDGER_CALENDAR_FILE: join(dir, 'missing.json') })).toThrow(/ENOENT/);
  });
});
