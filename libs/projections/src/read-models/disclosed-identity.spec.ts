import { evolveSubject, initialSubjectState, type SubjectEvent } from '@ledger/domain';
import { disclosedIdentity } from './disclosed-identity';
import type { SubjectCreditStatus } from './subject-credit-status.projection';

const statusOf = (
  kind: 'teacher' | 'student' | 'private_school',
  value: string,
  birthDate?: string,
): SubjectCreditStatus => {
  const registered: SubjectEvent = {
    type: 'SubjectRegistered',
    data: {
      subjectId: 's-1',
      kind,
      name: '林晓燕',
      jurisdiction: '350203',
      identifier: { scheme: kind === 'private_school' ? 'uscc' : 'resident_id', value },
      ...(birthDate === undefined ? {} : { birthDate }),
      registeredOn: '2025-01-06',
    },
  };
  const state = evolveSubject(initialSubjectState(), registered);
  return { state } as SubjectCreditStatus;
};

describe('the double-publicity subject block of a public listing (双公示)', () => {
  it('a legal person: its USCC', () => {
    expect(disclosedIdentity(statusOf('private_school', '91350200776049653A'), '2026-12-07')).toEqual({
      category: '法人及非法人组织',
      uscc: '91350200776049653A',
    });
  });

  it('an adult natural person: the ID number masked', () => {
    expect(disclosedIdentity(statusOf('teacher', '11010519491231002X', '1949-12-31'), '2026-12-07')).toEqual({
      category: '自然人',
      idType: '身份证',
      idNumber: '110105********002X',
    });
  });

  it('a minor, a student, or a person of unknown age: nothing identifying, not even masked', () => {
    const none = { category: '自然人', idType: null, idNumber: null };
    expect(disclosedIdentity(statusOf('teacher', '350203201003154011', '2010-03-15'), '2026-12-07')).toEqual(
      none,
    );
    expect(disclosedIdentity(statusOf('student', '11010519491231002X', '1949-12-31'), '2026-12-07')).toEqual(
      none,
    );
    expect(disclosedIdentity(statusOf('teacher', '11010519491231002X'), '2026-12-07')).toEqual(none);
  });
});
