import { maskResidentId, publicIdentifier } from './masking';

describe('masking identifiers for public output', () => {
  it('hides the birth date and sequence of a resident ID', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });

  it('leaves a legal person code as it is and masks a natural person ID', () => {
    expect(publicIdentifier({ scheme: 'uscc', value: '91350200776049653A' })).toBe('91350200776049653A');
    expect(publicIdentifier({ scheme: 'resident_id', value: '440524188001010014' })).toBe(
      '440524********0014',
    );
  });

  it('reveals nothing of a malformed value', () => {
    expect(maskResidentId('12345')).toBe('*****');
  });
});
