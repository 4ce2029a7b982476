import fc from 'fast-check';
import { usccCheckCharacter, validateUscc } from './uscc';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const alphabetChar = fc.constantFrom(...ALPHABET);
const digit = fc.constantFrom(...'0123456789');
const validUscc = fc
  .tuple(
    fc.array(alphabetChar, { minLength: 2, maxLength: 2 }),
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(alphabetChar, { minLength: 9, maxLength: 9 }),
  )
  .map(([head, division, organisation]) => {
    const first17 = [...head, ...division, ...organisation].join('');
    return first17 + usccCheckCharacter(first17);
  });

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it.each(['91350200776049653A', '91350213678251743X', '91230500MA1B3N1N2M', '11230500001755309F'])(
    'accepts the published example %s',
    (code) => {
      expect(validateUscc(code)).toMatchObject({ valid: true, checksum: 'valid' });
    },
  );

  it('splits a code into its parts', () => {
    expect(validateUscc('91350200776049653A')).toMatchObject({
      parts: {
        registrationAuthority: '9',
        organisationType: '1',
        divisionCode: '350200',
        organisationCode: '776049653',
        checkCharacter: 'A',
      },
    });
  });

  it('rejects an early pilot code whose checksum fails, unless the override is explicit', () => {
    expect(validateUscc('91350203M0001QAY9B')).toMatchObject({ valid: false, reason: 'CHECKSUM_MISMATCH' });
    expect(validateUscc('91350203M0001QAY9B', { allowLegacyChecksum: true })).toMatchObject({
      valid: true,
      checksum: 'legacy_override',
    });
  });

  it('names the reason for the rejection', () => {
    expect(validateUscc('91350200776049653')).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
    expect(validateUscc('91350200776049653I')).toMatchObject({ valid: false, reason: 'INVALID_CHARACTER' });
    expect(validateUscc('9135020077604965 A')).toMatchObject({ valid: false, reason: 'INVALID_CHARACTER' });
    expect(validateUscc('913502a0776049653A')).toMatchObject({ valid: false, reason: 'INVALID_CHARACTER' });
    expect(validateUscc('91350200776049653B')).toMatchObject({ valid: false, reason: 'CHECKSUM_MISMATCH' });
  });

  it('the override never excuses a malformed code', () => {
    expect(validateUscc('9135020377604965', { allowLegacyChecksum: true })).toMatchObject({ valid: false });
    expect(validateUscc('91350203M0001QAYOB', { allowLegacyChecksum: true })).toMatchObject({ valid: false });
  });

  it('accepts every generated code with its computed check character', () => {
    fc.assert(fc.property(validUscc, (code) => validateUscc(code).valid));
  });

  it('rejects any single-character change of a valid code', () => {
    const printable = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    fc.assert(
      fc.property(validUscc, fc.nat(17), printable, (code, position, replacement) => {
        fc.pre(code[position] !== replacement);
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        return !validateUscc(changed).valid;
      }),
    );
  });
});
