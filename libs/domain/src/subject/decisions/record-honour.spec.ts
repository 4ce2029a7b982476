import type { MeasureCode } from '../../policy/credit-policy';
import type { RecordHonour } from '../subject.commands';
import {
  given,
  gradeChanged,
  honourRecorded,
  keySupervisionMeasures,
  listChanged,
  on,
  penaltyRecorded,
  schoolRegistered,
  teacher,
  teacherId,
  teacherRegistered,
} from '../testing/subject-fixtures';

const recordHonour = (data: Partial<RecordHonour['data']> = {}, meta = on('2025-02-12')): RecordHonour => ({
  type: 'RecordHonour',
  data: { subjectId: 'school-1', recordId: 'honour-1', ...honourRecorded().data.honour, ...data },
  metadata: meta,
});

const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];
const redMeasures: MeasureCode[] = [
  'priority_for_honours_and_funding',
  'simplified_procedures',
  'fewer_inspections',
];

describe('recording an honour', () => {
  describe('when the subject has no dishonest record', () => {
    it('records the honour valid for five years, puts the subject on the red list and grades it A', () => {
      given(registered)
        .when(recordHonour())
        .then([
          honourRecorded(),
          listChanged('red', 'entered', '2025-02-12', {
            reasons: [{ code: 'active_honour', recordId: 'honour-1' }],
            measures: redMeasures,
          }),
          gradeChanged('B', 'A', '2025-02-12'),
        ]);
    });

    it('takes an id that names a property of every JavaScript object like any other id', () => {
      // Records were once kept in an object keyed by id, where 'constructor' already "existed".
      given(registered)
        .when(recordHonour({ recordId: 'constructor' }))
        .then([
          honourRecorded('constructor'),
          listChanged('red', 'entered', '2025-02-12', {
            reasons: [{ code: 'active_honour', recordId: 'constructor' }],
            measures: redMeasures,
          }),
          gradeChanged('B', 'A', '2025-02-12'),
        ]);
      given(registered)
        .when({
          type: 'RevokeRecord',
          data: { subjectId: 'school-1', recordId: 'toString', reason: 'Entered by mistake' },
          metadata: on('2025-02-12'),
        })
        .thenThrows('RECORD.NOT_FOUND', { recordId: 'toString' });
    });

    it('refuses an award date in the future and a missing title', () => {
      given(registered)
        .when(recordHonour({ awardedOn: '2025-02-13' }))
        .thenThrows('INPUT.DATE_IN_FUTURE');
      given(registered)
        .when(recordHonour({ title: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'title' });
    });
  });

  describe('when the subject is under joint discipline', () => {
    it('refuses honours to a school on the key supervision list', () => {
      given([
        ...registered,
        penaltyRecorded(),
        listChanged('key_supervision', 'entered', '2025-03-05', {
          reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
          measures: keySupervisionMeasures,
        }),
        gradeChanged('B', 'C', '2025-03-05'),
      ])
        .when(recordHonour({}, on('2025-04-01')))
        .thenThrows('HONOUR.BARRED_BY_DISCIPLINE', { lists: ['key_supervision'] });
    });
  });

  describe('when the subject has an active penalty but is on no list', () => {
    it('records the honour without a red list entry', () => {
      const teacherHonour = honourRecorded('honour-1', teacherId, teacher);
      given([
        teacherRegistered,
        gradeChanged(null, 'B', '2025-01-06', { subjectId: teacherId, subject: teacher }),
        penaltyRecorded({ subjectId: teacherId, subject: teacher }),
        gradeChanged('B', 'C', '2025-03-05', { subjectId: teacherId, subject: teacher }),
      ])
        .when(recordHonour({ subjectId: teacherId }, on('2025-04-01')))
        .then([teacherHonour]);
    });
  });
});
