// Unified Social Credit Code (统一社会信用代码), GB 32100-2015: the identifier of every legal person.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export interface UsccParts {
  readonly registrationAuthority: string;
  readonly organisationType: string;
  /** Division where the code was issued; not necessarily the subject's current jurisdiction. */
  readonly divisionCode: string;
  readonly organisationCode: string;
  readonly checkCharacter: string;
}

/**
 * `legacy_override`: an early pilot code that fails the checksum but was accepted on an explicit
 * instruction. It is kept in the result so the decision to accept it is recorded, never silent.
 */
export type UsccChecksumStatus = 'valid' | 'legacy_override';

export type UsccInvalidReason = 'WRONG_LENGTH' | 'INVALID_CHARACTER' | 'CHECKSUM_MISMATCH';

export type UsccValidation =
  | {
      readonly valid: true;
      readonly code: string;
      readonly parts: UsccParts;
      readonly checksum: UsccChecksumStatus;
    }
  | {
      readonly valid: false;
      readonly code: string;
      readonly reason: UsccInvalidReason;
      readonly message: string;
    };

export interface UsccOptions {
  readonly allowLegacyChecksum?: boolean;
}

/** The check character for the first 17 characters; they must already be in the alphabet. */
export const usccCheckCharacter = (first17: string): string => {
  const sum = [...first17].reduce((total, char, index) => total + ALPHABET.indexOf(char) * WEIGHTS[index], 0);
  return ALPHABET[(31 - (sum % 31)) % 31];
};

export const validateUscc = (code: string, options: UsccOptions = {}): UsccValidation => {
  if (code.length !== 18) {
    return {
      valid: false,
      code,
      reason: 'WRONG_LENGTH',
      message: `A USCC has 18 characters, got ${code.length}`,
    };
  }
  if (!SHAPE.test(code)) {
    return {
      valid: false,
      code,
      reason: 'INVALID_CHARACTER',
      message: 'A USCC uses 0-9 and A-Y without I, O, S, V, Z, with digits in positions 3 to 8',
    };
  }
  const parts: UsccParts = {
    registrationAuthority: code[0],
    organisationType: code[1],
    divisionCode: code.slice(2, 8),
    organisationCode: code.slice(8, 17),
    checkCharacter: code[17],
  };
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (expected === code[17]) return { valid: true, code, parts, checksum: 'valid' };
  if (options.allowLegacyChecksum === true) return { valid: true, code, parts, checksum: 'legacy_override' };
  return {
    valid: false,
    code,
    reason: 'CHECKSUM_MISMATCH',
    message: `Check character should be ${expected}, got ${code[17]}`,
  };
};

export const isValidUscc = (code: string): boolean => validateUscc(code).valid;
