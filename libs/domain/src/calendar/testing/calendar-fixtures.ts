// Shared by the calendar specs and end-to-end tests. The 2027 arrangement here is ILLUSTRATIVE: the State
// Council's real notice for 2027 is not in this repository, so these dates and this document number are
// made up in its shape (New Year 1-3 January, a nine-day Spring Festival with two make-up days).
import type { CalendarNotice, ShippedCalendar, YearArrangement } from '../calendar.commands';
import { shippedChinaCalendar } from '../china-working-calendar';

export const illustrative2027: YearArrangement = {
  year: 2027,
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
    '2027-02-13',
  ],
  makeUpWorkingDays: ['2027-01-31', '2027-02-20'],
};

export const illustrative2027Notice: CalendarNotice = {
  documentNumber: '国办发明电〔2026〕99号',
  title: '国务院办公厅关于2027年部分节假日安排的通知（示例）',
  publishedOn: '2026-11-10',
};

/** What a package shipping only 2025 and 2026 would say: keeps the specs about rules, not a release. */
export const shippedUpTo2026: ShippedCalendar = {
  package: 'chinese-days',
  version: '1.5.7',
  years: [2025, 2026],
  arrangementOf: (year) =>
    year === 2025 || year === 2026 ? shippedChinaCalendar.arrangementOf(year) : undefined,
};
