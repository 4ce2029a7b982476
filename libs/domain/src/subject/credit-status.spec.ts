import { fold } from '../decider';
import { defaultPolicy } from '../policy/default-policy';
import { deriveCreditStatus } from './credit-status';
import { subjectDecider } from './subject.decider';
import type { SubjectEvent } from './subject.events';
import type { RegisteredSubject } from './subject.state';
import {
  honourRecorded,
  penaltyRecorded,
  rectificationNoticeIssued,
  schoolId,
  schoolRegistered,
  studentRegistered,
  teacher,
  teacherId,
  teacherRegistered,
} from './testing/subject-fixtures';

const statusAfter = (events: readonly SubjectEvent[], asOf = '2025-10-01') =>
  deriveCreditStatus(fold(subjectDecider, events) as RegisteredSubject, defaultPolicy, asOf);

describe('credit status', () => {
  describe('when a school has a penalty under objection and a pending repair', () => {
    const status = statusAfter([
      schoolRegistered,
      penaltyRecorded(),
      {
        type: 'ObjectionFiled',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          objectionId: 'objection-1',
          grounds: 'Approved classes',
          requiresExternalVerification: false,
          filedOn: '2025-09-30',
          decisionDueBy: '2025-10-11',
        },
      },
      {
        type: 'RepairApplied',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          applicationId: 'repair-1',
          correctionStatement: 'Refunded',
          appliedOn: '2025-06-03',
        },
      },
    ]);

    it('lists the active, disputed and pending records', () => {
      expect(status).toMatchObject({
        activePenalties: ['penalty-1'],
        disputedRecords: ['penalty-1'],
        pendingRepairs: ['penalty-1'],
        grade: 'C',
        supervision: { level: 'enhanced' },
        policyVersion: '2025-01',
      });
    });

    it('keeps a disputed record counting until the objection is decided', () => {
      expect(status.lists.key_supervision).toEqual({
        onList: true,
        reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
      });
      expect(status.measures.map((measure) => measure.code)).toContain('no_honours_or_commendation');
    });
  });

  describe('when a subject has an honour', () => {
    it('is on the red list only without dishonest records or overdue rectifications', () => {
      expect(statusAfter([schoolRegistered, honourRecorded()]).lists.red.onList).toBe(true);
      expect(statusAfter([schoolRegistered, honourRecorded(), penaltyRecorded()]).lists.red.onList).toBe(
        false,
      );
      const overdue: SubjectEvent = {
        type: 'RectificationOverdue',
        data: { subjectId: schoolId, recordId: 'rectification-1', deadline: '2025-04-30' },
      };
      expect(
        statusAfter([schoolRegistered, honourRecorded(), rectificationNoticeIssued(), overdue]).lists.red
          .onList,
      ).toBe(false);
    });
  });

  describe('when a teacher is black-listed', () => {
    it('applies the measures meant for teachers, such as the ethics veto', () => {
      const status = statusAfter([
        teacherRegistered,
        penaltyRecorded({
          subjectId: teacherId,
          subject: teacher,
          penalty: { misconduct: 'academic_misconduct' },
        }),
      ]);
      expect(status.grade).toBe('D');
      expect(status.measures.map((measure) => measure.code)).toEqual([
        'no_honours_or_commendation',
        'no_project_funding',
        'title_evaluation_and_promotion_limited',
        'research_funding_limited',
        'teacher_ethics_veto',
        'more_frequent_inspection',
      ]);
    });
  });

  describe('when the subject is a student', () => {
    it('is a minor until the day after the 18th birthday', () => {
      expect(statusAfter([studentRegistered], '2028-05-01').isMinor).toBe(true);
      expect(statusAfter([studentRegistered], '2028-05-02').isMinor).toBe(false);
    });
  });

  describe('when a legal person has no records', () => {
    it('has the default grade, routine supervision and no list', () => {
      expect(statusAfter([schoolRegistered])).toMatchObject({
        grade: 'B',
        supervision: { level: 'routine', randomInspectionSamplingPercent: 10 },
        isMinor: false,
        lists: { red: { onList: false }, black: { onList: false }, key_supervision: { onList: false } },
        measures: [],
      });
    });
  });
});
