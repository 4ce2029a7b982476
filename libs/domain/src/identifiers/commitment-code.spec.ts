import { parseCommitmentCode } from './commitment-code';

describe('credit commitment code', () => {
  it('reads division, date made and serial', () => {
    expect(parseCommitmentCode('35020320250314000017')).toEqual({
      divisionCode: '350203',
      dateMade: '2025-03-14',
      serial: '000017',
    });
  });

  it('rejects a code with a wrong length, an impossible date or a malformed division', () => {
    expect(parseCommitmentCode('3502032025031400001')).toBeUndefined();
    expect(parseCommitmentCode('35020320250230000017')).toBeUndefined();
    expect(parseCommitmentCode('05020320250314000017')).toBeUndefined();
  });
});
