import { addMonths, beijingDateOf, isIsoDate } from './iso-date';

describe('ISO dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
  });

  it('adds months ending on the last day of a shorter month (Civil Code Art. 203)', () => {
    expect(addMonths('2025-01-15', 3)).toBe('2025-04-15');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-06-30', 36)).toBe('2028-06-30');
  });

  it('reads the business date of an instant in Beijing time', () => {
    expect(beijingDateOf('2025-03-14T15:59:59Z')).toBe('2025-03-14');
    expect(beijingDateOf('2025-03-14T16:00:00Z')).toBe('2025-03-15');
    expect(beijingDateOf('2025-03-15T00:30:00+08:00')).toBe('2025-03-15');
  });

  it('refuses an instant without a zone', () => {
    expect(() => beijingDateOf('2025-03-14T10:00:00')).toThrow(
      expect.objectContaining({ code: 'INPUT.INVALID_TIMESTAMP' }),
    );
    expect(() => beijingDateOf('yesterday')).toThrow(
      expect.objectContaining({ code: 'INPUT.INVALID_TIMESTAMP' }),
    );
  });
});
