import fc from 'fast-check';
import { isMinorOn, residentIdCheckCharacter, validateResidentId } from './resident-id';

const digits = (length: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((d) => d.join(''));
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const validResidentId = fc.tuple(digits(6), birthDate, digits(3)).map(([division, born, sequence]) => {
  const first17 = division + born.replace(/-/g, '') + sequence;
  return first17 + residentIdCheckCharacter(first17);
});

describe('resident ID number (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['440524188001010014', '1880-01-01', 'male'],
  ])('accepts the published example %s and reads its birth date', (id, born, sex) => {
    expect(validateResidentId(id)).toEqual({
      valid: true,
      id,
      parts: { divisionCode: id.slice(0, 6), birthDate: born, sequence: id.slice(14, 17), sex },
    });
  });

  it('names the reason for the rejection', () => {
    expect(validateResidentId('11010519491231002')).toMatchObject({ valid: false, reason: 'WRONG_FORMAT' });
    expect(validateResidentId('11010519491231002x')).toMatchObject({ valid: false, reason: 'WRONG_FORMAT' });
    expect(validateResidentId('110105194912310021')).toMatchObject({
      valid: false,
      reason: 'CHECKSUM_MISMATCH',
    });
  });

  it('requires the birth date to be a real date', () => {
    const first17 = '11010520230229002';
    expect(validateResidentId(first17 + residentIdCheckCharacter(first17))).toMatchObject({
      valid: false,
      reason: 'INVALID_BIRTH_DATE',
    });
    const leapDay = '11010520240229002';
    expect(validateResidentId(leapDay + residentIdCheckCharacter(leapDay))).toMatchObject({ valid: true });
  });

  it('accepts every generated number with its computed check character', () => {
    fc.assert(fc.property(validResidentId, (id) => validateResidentId(id).valid));
  });

  it('rejects any single-character change of a valid number', () => {
    fc.assert(
      fc.property(
        validResidentId,
        fc.nat(17),
        fc.constantFrom(...'0123456789Xx'),
        (id, position, replacement) => {
          fc.pre(id[position] !== replacement);
          return !validateResidentId(id.slice(0, position) + replacement + id.slice(position + 1)).valid;
        },
      ),
    );
  });
});

describe('isMinorOn', () => {
  it('counts a person as a minor up to and including the 18th birthday', () => {
    expect(isMinorOn('2007-09-01', '2025-08-31')).toBe(true);
    expect(isMinorOn('2007-09-01', '2025-09-01')).toBe(true);
    expect(isMinorOn('2007-09-01', '2025-09-02')).toBe(false);
  });

  it('takes 1 March as the birthday of someone born on 29 February in a common year', () => {
    expect(isMinorOn('2008-02-29', '2026-03-01')).toBe(true);
    expect(isMinorOn('2008-02-29', '2026-03-02')).toBe(false);
  });
});
