import type { Actor } from '../command-metadata';
import { specificationFor } from '../testing/given-when-then';
import type {
  AmendCalendarYear,
  CalendarCommandMetadata,
  CalendarNotice,
  PublishCalendarYear,
  YearArrangement,
} from './calendar.commands';
import { calendarDecider } from './calendar.decider';
import type { CalendarYearAmended, CalendarYearPublished } from './calendar.events';
import { illustrative2027, illustrative2027Notice, shippedUpTo2026 } from './testing/calendar-fixtures';

const given = specificationFor(calendarDecider);

const admin: Actor = { userId: 'admin-1', role: 'admin', department: 'ministry', jurisdiction: '000000' };
const metadata: CalendarCommandMetadata = {
  now: '2026-12-07T02:00:00Z',
  actor: admin,
  shipped: shippedUpTo2026,
};

type Data = YearArrangement & { notice: CalendarNotice };

const publish = (data: Partial<Data> = {}): PublishCalendarYear => ({
  type: 'PublishCalendarYear',
  data: { ...illustrative2027, notice: illustrative2027Notice, ...data },
  metadata,
});

const amendmentNotice: CalendarNotice = {
  documentNumber: '国办发明电〔2027〕1号',
  title: '国务院办公厅关于2027年春节假期延长的通知（示例）',
  publishedOn: '2026-12-01',
};
const amend = (data: Partial<Data> = {}): AmendCalendarYear => ({
  type: 'AmendCalendarYear',
  data: {
    ...illustrative2027,
    holidays: [...illustrative2027.holidays, '2027-02-15'],
    notice: amendmentNotice,
    ...data,
  },
  metadata,
});

const published2027: CalendarYearPublished = {
  type: 'CalendarYearPublished',
  data: { ...illustrative2027, notice: illustrative2027Notice },
};

describe('publishing a year from its notice', () => {
  describe('when neither the package nor the ledger knows the year', () => {
    it('records the arrangement and its notice', () => {
      given([]).when(publish()).then([published2027]);
    });

    it('records the dates sorted, and the notice without stray spaces', () => {
      given([])
        .when(
          publish({
            holidays: [...illustrative2027.holidays].reverse(),
            makeUpWorkingDays: ['2027-02-20', '2027-01-31'],
            notice: {
              ...illustrative2027Notice,
              documentNumber: ` ${illustrative2027Notice.documentNumber} `,
            },
          }),
        )
        .then([published2027]);
    });

    it('refuses a date of another year', () => {
      given([])
        .when(publish({ holidays: [...illustrative2027.holidays, '2028-01-01'] }))
        .thenThrows('CALENDAR.DATE_OUTSIDE_YEAR', { field: 'holidays[12]' });
      given([])
        .when(publish({ makeUpWorkingDays: ['2026-12-26'] }))
        .thenThrows('CALENDAR.DATE_OUTSIDE_YEAR', { field: 'makeUpWorkingDays[0]' });
    });

    it('refuses a date that does not exist, or is not YYYY-MM-DD', () => {
      given([])
        .when(publish({ holidays: ['2027-01-01', '2027-02-30'] }))
        .thenThrows('INPUT.INVALID_DATE', { field: 'holidays[1]' });
      given([])
        .when(publish({ makeUpWorkingDays: ['2027/01/31'] }))
        .thenThrows('INPUT.INVALID_DATE', { field: 'makeUpWorkingDays[0]' });
    });

    it('refuses an arrangement without New Year’s Day: a partial copy of the notice', () => {
      given([])
        .when(publish({ holidays: illustrative2027.holidays.slice(1) }))
        .thenThrows('CALENDAR.NEW_YEAR_MISSING', { field: 'holidays' });
    });

    it('refuses a day listed both as a holiday and as a make-up working day', () => {
      given([])
        .when(publish({ makeUpWorkingDays: ['2027-01-31', '2027-02-06'] }))
        .thenThrows('CALENDAR.DATE_BOTH_HOLIDAY_AND_WORKING_DAY', { field: 'makeUpWorkingDays[1]' });
    });

    it('refuses a make-up working day that is not a Saturday or Sunday', () => {
      given([])
        .when(publish({ makeUpWorkingDays: ['2027-02-19'] }))
        .thenThrows('CALENDAR.MAKE_UP_DAY_NOT_WEEKEND', { field: 'makeUpWorkingDays[0]' });
    });

    it('accepts holidays on weekends: notices list every day of a holiday period', () => {
      given([])
        .when(publish({ holidays: ['2027-01-01', '2027-01-02', '2027-01-03'] }))
        .thenEventTypes(['CalendarYearPublished']);
    });

    it('refuses a date listed twice', () => {
      given([])
        .when(publish({ holidays: [...illustrative2027.holidays, '2027-02-05'] }))
        .thenThrows('CALENDAR.DUPLICATE_DATE', { field: 'holidays[12]' });
    });

    it('refuses a year that is not a four-digit integer', () => {
      for (const year of [20277, 2027.5, Number.NaN])
        given([]).when(publish({ year })).thenThrows('INPUT.INVALID_VALUE', { field: 'year' });
    });

    it('refuses a notice without its number or title, or published after today', () => {
      given([])
        .when(publish({ notice: { ...illustrative2027Notice, documentNumber: '  ' } }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'notice.documentNumber' });
      given([])
        .when(publish({ notice: { ...illustrative2027Notice, title: '' } }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'notice.title' });
      given([])
        .when(publish({ notice: { ...illustrative2027Notice, publishedOn: '2026-12-08' } }))
        .thenThrows('INPUT.DATE_IN_FUTURE', { field: 'notice.publishedOn' });
    });
  });

  describe('when the package ships the year', () => {
    it('refuses it, naming the package and its version: a later notice amends it instead', () => {
      given([])
        .when(publish({ year: 2026, holidays: ['2026-01-01'], makeUpWorkingDays: [] }))
        .thenThrows('CALENDAR.YEAR_ALREADY_KNOWN', { year: 2026, source: 'package', version: '1.5.7' });
    });
  });

  describe('when the ledger has recorded the year already', () => {
    it('refuses it again, naming the notice it holds', () => {
      given([published2027])
        .when(publish({ notice: amendmentNotice }))
        .thenThrows('CALENDAR.YEAR_ALREADY_KNOWN', {
          year: 2027,
          source: 'notice',
          documentNumber: illustrative2027Notice.documentNumber,
        });
    });
  });

  describe('when the notice is recorded already, for another year', () => {
    it('refuses it: one notice, one record', () => {
      given([published2027])
        .when(publish({ year: 2028, holidays: ['2028-01-01'], makeUpWorkingDays: [] }))
        .thenThrows('CALENDAR.NOTICE_ALREADY_RECORDED', {
          documentNumber: illustrative2027Notice.documentNumber,
        });
    });
  });
});

describe('amending a year from a later notice', () => {
  describe('when the ledger recorded the year from a notice', () => {
    it('records the whole amended arrangement, its notice, and which notice it amends', () => {
      const expected: CalendarYearAmended = {
        type: 'CalendarYearAmended',
        data: {
          ...illustrative2027,
          holidays: [...illustrative2027.holidays, '2027-02-15'],
          notice: amendmentNotice,
          amends: { source: 'notice', documentNumber: illustrative2027Notice.documentNumber },
        },
      };
      given([published2027]).when(amend()).then([expected]);
    });

    it('refuses an amendment that changes nothing', () => {
      given([published2027])
        .when(amend({ holidays: illustrative2027.holidays }))
        .thenThrows('CALENDAR.NOTHING_TO_AMEND', { year: 2027 });
    });

    it('refuses the notice that published the year, or an earlier amendment, given again', () => {
      given([published2027])
        .when(amend({ notice: illustrative2027Notice }))
        .thenThrows('CALENDAR.NOTICE_ALREADY_RECORDED');
    });

    it('checks the amended arrangement as a publication is checked', () => {
      given([published2027])
        .when(amend({ holidays: ['2027-02-15'] }))
        .thenThrows('CALENDAR.NEW_YEAR_MISSING');
    });
  });

  describe('when only the package knows the year', () => {
    it('records the amendment over the package’s arrangement, naming the package version it replaces', () => {
      const shipped2026 = shippedUpTo2026.arrangementOf(2026)!;
      given([])
        .when(
          amend({
            year: 2026,
            holidays: [...shipped2026.holidays, '2026-10-08'],
            makeUpWorkingDays: shipped2026.makeUpWorkingDays,
          }),
        )
        .thenIncludes([
          expect.objectContaining({
            type: 'CalendarYearAmended',
            data: expect.objectContaining({
              year: 2026,
              amends: { source: 'package', package: 'chinese-days', version: '1.5.7' },
            }),
          }),
        ]);
    });
  });

  describe('when no one knows the year', () => {
    it('refuses it: the year must be published first', () => {
      given([]).when(amend()).thenThrows('CALENDAR.YEAR_NOT_FOUND', { year: 2027 });
    });
  });
});
