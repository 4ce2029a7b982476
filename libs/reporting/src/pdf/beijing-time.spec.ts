import { beijingDateTime, chineseDate } from './beijing-time';

describe('times on the printed report', () => {
  it('given an instant in UTC, prints it in Beijing time', () => {
    expect(beijingDateTime('2026-12-07T15:40:28.123Z')).toBe('2026年12月07日 23:40:28（北京时间）');
  });

  it('given an instant late in the UTC day, prints the next Beijing date', () => {
    expect(beijingDateTime('2026-12-31T16:00:00Z')).toBe('2027年01月01日 00:00:00（北京时间）');
  });

  it('given text that is no instant, prints it unchanged', () => {
    expect(beijingDateTime('soon')).toBe('soon');
  });

  it('given a calendar date, prints it the Chinese way; no date prints a dash', () => {
    expect(chineseDate('2026-03-05')).toBe('2026年03月05日');
    expect(chineseDate(null)).toBe('—');
  });
});
