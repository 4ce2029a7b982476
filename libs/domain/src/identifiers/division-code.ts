// Administrative division codes (行政区划代码, GB/T 2260): six digits, two per level. Trailing zeros
// give the level: 350000 Fujian province, 350200 Xiamen city, 350203 Siming district (county level).

export type DivisionLevel = 'national' | 'province' | 'city' | 'county';

/**
 * Not a GB/T 2260 code: the ledger's code for a nationwide authority (the Ministry of Education,
 * a national scheduler). It contains every division.
 */
export const NATIONAL_DIVISION = '000000';

const SHAPE = /^[1-9][0-9]{5}$/;

export const isDivisionCode = (code: string): boolean => code === NATIONAL_DIVISION || SHAPE.test(code);

/** Throws on a malformed code: callers validate input first with `isDivisionCode`. */
export const divisionLevelOf = (code: string): DivisionLevel => {
  if (!isDivisionCode(code)) throw new Error(`Not a division code: ${code}`);
  if (code === NATIONAL_DIVISION) return 'national';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
};

const significantPrefix = (code: string): string => {
  const level = divisionLevelOf(code);
  switch (level) {
    case 'national':
      return '';
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    case 'county':
      return code;
    default: {
      const unhandled: never = level;
      return unhandled;
    }
  }
};

/** Whether `child` lies within `parent`'s jurisdiction; a division contains itself. */
export const divisionContains = (parent: string, child: string): boolean =>
  isDivisionCode(parent) && isDivisionCode(child) && child.startsWith(significantPrefix(parent));

/** The province a division belongs to, e.g. 350203 → 350000. */
export const provinceOf = (code: string): string =>
  code === NATIONAL_DIVISION ? NATIONAL_DIVISION : `${code.slice(0, 2)}0000`;
