// Checks every decision makes of its input, shared by the aggregates.
import { requireIsoDate, type IsoDate } from './calendar/iso-date';
import type { Actor } from './command-metadata';
import { Forbidden, InvalidInput } from './errors';
import { divisionContains } from './identifiers/division-code';
import { validateUscc } from './identifiers/uscc';

/** A real date, not after today: officials record what was decided, not what will be. */
export const requirePastDate = (field: string, value: IsoDate, today: IsoDate): IsoDate => {
  requireIsoDate(field, value);
  if (value > today) {
    throw new InvalidInput('INPUT.DATE_IN_FUTURE', `${field} ${value} is after today (${today})`, {
      field,
      value,
      today,
    });
  }
  return value;
};

export const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

export const requireText = (field: string, value: string | undefined): string => {
  if (isBlank(value)) {
    throw new InvalidInput('INPUT.FIELD_REQUIRED', `${field} is required`, { field });
  }
  return value as string;
};

export const requireUscc = (field: string, value: string): void => {
  const validation = validateUscc(value);
  if (!validation.valid) {
    throw new InvalidInput('INPUT.INVALID_USCC', `${field}: ${validation.message}`, {
      field,
      reason: validation.reason,
    });
  }
};

export const requireAmount = (field: string, value: number | undefined): void => {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new InvalidInput('INPUT.INVALID_AMOUNT', `${field} must be a non-negative number`, {
      field,
      value,
    });
  }
};

/** Authorities act within their own division (a city bureau on its counties), national actors anywhere. */
export const requireActorCovers = (actor: Actor, jurisdiction: string): void => {
  if (!divisionContains(actor.jurisdiction, jurisdiction)) {
    throw new Forbidden(
      'ACTOR.OUTSIDE_JURISDICTION',
      `An actor of ${actor.jurisdiction} cannot act on subjects of ${jurisdiction}`,
      { actorJurisdiction: actor.jurisdiction, subjectJurisdiction: jurisdiction },
    );
  }
};

/** Optional fields left out rather than set to undefined: events hash and serialise as canonical JSON. */
export const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
