// Calendar dates as `YYYY-MM-DD` strings: they compare with `<`, serialise as they are, and carry no
// time zone. All arithmetic goes through UTC so the host's zone can never shift a date.
import { InvalidInput } from '../errors';

export type IsoDate = string;

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China has kept one zone, UTC+8, without daylight saving since 1991: business dates are Beijing dates. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

const toUtcMs = (date: IsoDate): number => {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
};

const fromUtcMs = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

export const isIsoDate = (value: string): boolean => {
  const match = SHAPE.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const requireIsoDate = (field: string, value: string): IsoDate => {
  if (!isIsoDate(value)) {
    throw new InvalidInput('INPUT.INVALID_DATE', `${field} must be a real date as YYYY-MM-DD, got ${value}`, {
      field,
    });
  }
  return value;
};

/** The Beijing calendar date of an instant such as `metadata.now`. */
export const beijingDateOf = (instant: string): IsoDate => {
  const ms = Date.parse(instant);
  // Without an explicit zone an instant would be read in the host's zone: refuse rather than guess.
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:?\d{2})$/.test(instant)) {
    throw new InvalidInput('INPUT.INVALID_TIMESTAMP', `${instant} is not an ISO 8601 instant with a zone`, {
      value: instant,
    });
  }
  return fromUtcMs(ms + BEIJING_OFFSET_MS);
};

export const addDays = (date: IsoDate, days: number): IsoDate => fromUtcMs(toUtcMs(date) + days * DAY_MS);

/**
 * Civil Code Art. 203: a period in months ends on the same day of the final month, or on its last day
 * when that month is shorter (31 January + 1 month = 28 or 29 February).
 */
export const addMonths = (date: IsoDate, months: number): IsoDate => {
  const [year, month, day] = date.split('-').map(Number);
  const firstOfTarget = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDayOfTarget = new Date(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return fromUtcMs(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth(), Math.min(day, lastDayOfTarget)),
  );
};

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: IsoDate): number => new Date(toUtcMs(date)).getUTCDay();

export const yearOf = (date: IsoDate): number => Number(date.slice(0, 4));
