import {
  divisionContains,
  divisionLevelOf,
  isDivisionCode,
  NATIONAL_DIVISION,
  provinceOf,
} from './division-code';

describe('administrative division codes', () => {
  it('derives the level from trailing zeros', () => {
    expect(divisionLevelOf('110000')).toBe('province');
    expect(divisionLevelOf('110100')).toBe('city');
    expect(divisionLevelOf('110105')).toBe('county');
    expect(divisionLevelOf(NATIONAL_DIVISION)).toBe('national');
  });

  it('accepts six digits only', () => {
    expect(isDivisionCode('350203')).toBe(true);
    expect(['35020', '3502031', '35020A', '050203', ''].map(isDivisionCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  describe('jurisdiction', () => {
    it('a province contains its cities and counties', () => {
      expect(divisionContains('110000', '110105')).toBe(true);
      expect(divisionContains('110000', '110100')).toBe(true);
      expect(divisionContains('110000', '120105')).toBe(false);
    });

    it('a city contains its counties', () => {
      expect(divisionContains('110100', '110105')).toBe(true);
      expect(divisionContains('350200', '350203')).toBe(true);
      expect(divisionContains('350200', '350100')).toBe(false);
      expect(divisionContains('350200', '350000')).toBe(false);
    });

    it('a county contains only itself', () => {
      expect(divisionContains('110105', '110105')).toBe(true);
      expect(divisionContains('110105', '110106')).toBe(false);
      expect(divisionContains('110105', '110100')).toBe(false);
    });

    it('the national code contains every division, and nothing contains a malformed one', () => {
      expect(divisionContains(NATIONAL_DIVISION, '650102')).toBe(true);
      expect(divisionContains('110000', '11010')).toBe(false);
      expect(divisionContains('11000', '110105')).toBe(false);
    });
  });

  it('finds the province of a division', () => {
    expect(provinceOf('350203')).toBe('350000');
  });
});
