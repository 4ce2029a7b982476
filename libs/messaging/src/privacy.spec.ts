import { isRestricted, redactPersonalData } from './privacy';

const teacherId = '350203198506151233';
const studentId = '350203201005014569';

describe('what leaves the ledger', () => {
  describe('ID numbers of natural persons', () => {
    it('are masked in a natural person’s registration, and the birth date is dropped', () => {
      expect(
        redactPersonalData({
          identifier: { scheme: 'resident_id', value: teacherId },
          birthDate: '1985-06-15',
          name: '王老师',
        }),
      ).toEqual({ identifier: { scheme: 'resident_id', value: '350203********1233' }, name: '王老师' });
    });

    it('are masked for a legal representative, whatever the document type', () => {
      expect(
        redactPersonalData({
          penalty: { legalRepresentative: { name: '张三', idType: 'passport', idNumber: 'E12345678' } },
        }),
      ).toEqual({
        penalty: { legalRepresentative: { name: '张三', idType: 'passport', idNumber: '*********' } },
      });
    });

    it('are masked wherever else they appear, free text included', () => {
      expect(
        redactPersonalData({ remarks: `Representative ${teacherId} attended`, list: [studentId] }),
      ).toEqual({
        remarks: 'Representative 350203********1233 attended',
        list: ['350203********4569'],
      });
    });

    it('leave legal persons’ codes and numbers that are not ID numbers alone', () => {
      const data = {
        identifier: { scheme: 'uscc', value: '91350200776049653A' },
        documentNumber: '350203198506151234', // right shape, wrong check digit
        amount: 2,
      };
      expect(redactPersonalData(data)).toEqual(data);
    });
  });

  describe('restricted records', () => {
    const at = '2025-03-05T02:00:00Z';

    it('are students’ records, whatever their age', () => {
      expect(isRestricted({}, at, { subjectId: 's', kind: 'student' })).toBe(true);
      expect(isRestricted({ subject: { kind: 'student' } }, at, { subjectId: 's' })).toBe(true);
    });

    it('are records of a person who was a minor when they happened', () => {
      expect(isRestricted({}, at, { subjectId: 't', kind: 'staff', birthDate: '2010-05-01' })).toBe(true);
      expect(isRestricted({}, at, { subjectId: 't', kind: 'teacher', birthDate: '1985-06-15' })).toBe(false);
    });

    it('are whatever the domain marked restricted', () => {
      expect(isRestricted({ publicity: { disclosure: 'restricted' } }, at, { subjectId: 'x' })).toBe(true);
      expect(isRestricted({ disclosure: 'public' }, at, { subjectId: 'x', kind: 'school' })).toBe(false);
    });
  });
});
