// Resident identity card number (居民身份证号码), GB 11643-1999: the identifier of natural persons.
import { isIsoDate, type IsoDate } from '../calendar/iso-date';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^[0-9]{17}[0-9X]$/;

/** Civil Code Art. 17: eighteen is the age of majority. Law, not policy. */
const AGE_OF_MAJORITY = 18;

export interface ResidentIdParts {
  readonly divisionCode: string;
  readonly birthDate: IsoDate;
  readonly sequence: string;
  readonly sex: 'male' | 'female';
}

export type ResidentIdInvalidReason = 'WRONG_FORMAT' | 'INVALID_BIRTH_DATE' | 'CHECKSUM_MISMATCH';

export type ResidentIdValidation =
  | { readonly valid: true; readonly id: string; readonly parts: ResidentIdParts }
  | {
      readonly valid: false;
      readonly id: string;
      readonly reason: ResidentIdInvalidReason;
      readonly message: string;
    };

export const residentIdCheckCharacter = (first17Digits: string): string => {
  const sum = [...first17Digits].reduce((total, digit, index) => total + Number(digit) * WEIGHTS[index], 0);
  return CHECK_CHARACTERS[sum % 11];
};

/** Strict: upper-case `X` only, so the stored value is the one the subject's card shows. */
export const validateResidentId = (id: string): ResidentIdValidation => {
  if (!SHAPE.test(id)) {
    return {
      valid: false,
      id,
      reason: 'WRONG_FORMAT',
      message: 'A resident ID is 17 digits and a digit or X',
    };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birthDate)) {
    return { valid: false, id, reason: 'INVALID_BIRTH_DATE', message: `${birthDate} is not a real date` };
  }
  const expected = residentIdCheckCharacter(id.slice(0, 17));
  if (expected !== id[17]) {
    return {
      valid: false,
      id,
      reason: 'CHECKSUM_MISMATCH',
      message: `Check character should be ${expected}, got ${id[17]}`,
    };
  }
  return {
    valid: true,
    id,
    parts: {
      divisionCode: id.slice(0, 6),
      birthDate,
      sequence: id.slice(14, 17),
      sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
};

export const isValidResidentId = (id: string): boolean => validateResidentId(id).valid;

/**
 * Whether someone born on `birthDate` is still a minor on `onDate`. A full year of age is reached on
 * the day after the birthday (SPC interpretation on juvenile criminal cases, Art. 2), so the 18th
 * birthday itself still counts as minor; a 29 February birthday falls on 1 March in common years.
 * Erring this way protects the record rather than publishing it a day early.
 */
export const isMinorOn = (birthDate: IsoDate, onDate: IsoDate): boolean => {
  const [year, month, day] = birthDate.split('-').map(Number);
  const adultFrom = new Date(Date.UTC(year + AGE_OF_MAJORITY, month - 1, day + 1)).toISOString().slice(0, 10);
  return onDate < adultFrom;
};
