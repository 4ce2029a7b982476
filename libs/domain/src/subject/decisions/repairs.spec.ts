import { fold } from '../../decider';
import { defaultPolicy } from '../../policy/default-policy';
import { deriveCreditStatus } from '../credit-status';
import type { ApplyForRepair, DecideRepair } from '../subject.commands';
import { subjectDecider } from '../subject.decider';
import type { SubjectEvent } from '../subject.events';
import {
  given,
  gradeChanged,
  honourRecorded,
  keySupervisionMeasures,
  listChanged,
  on,
  penaltyRecorded,
  publicityExtendedToMaximum,
  schoolId,
  schoolRegistered,
  teacher,
  teacherId,
  teacherRegistered,
} from '../testing/subject-fixtures';

const applyForRepair = (date: string, data: Partial<ApplyForRepair['data']> = {}): ApplyForRepair => ({
  type: 'ApplyForRepair',
  data: {
    subjectId: schoolId,
    recordId: 'penalty-1',
    applicationId: 'repair-1',
    correctionStatement: 'Stopped the unapproved classes and refunded all fees',
    ...data,
  },
  metadata: on(date),
});

const decideRepair = (date: string, data: Partial<DecideRepair['data']> = {}): DecideRepair => ({
  type: 'DecideRepair',
  data: { subjectId: schoolId, applicationId: 'repair-1', decision: 'approved', ...data },
  metadata: on(date),
});

const repairApplied = {
  type: 'RepairApplied' as const,
  data: {
    subjectId: schoolId,
    recordId: 'penalty-1',
    applicationId: 'repair-1',
    correctionStatement: 'Stopped the unapproved classes and refunded all fees',
    appliedOn: '2025-06-03',
  },
};

const penalised: SubjectEvent[] = [
  schoolRegistered,
  gradeChanged(null, 'B', '2025-01-06'),
  penaltyRecorded(),
  listChanged('key_supervision', 'entered', '2025-03-05', {
    reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
    measures: keySupervisionMeasures,
  }),
  gradeChanged('B', 'C', '2025-03-05'),
];
const pending = [...penalised, repairApplied];

describe('credit repair (信用修复)', () => {
  describe('when the penalty is still within its minimum publicity period', () => {
    it('refuses the application and says from when it may be made', () => {
      given(penalised)
        .when(applyForRepair('2025-06-02'))
        .thenThrows('REPAIR.MINIMUM_PERIOD_NOT_REACHED', { earliestDate: '2025-06-03' });
    });
  });

  describe('when the minimum publicity period has passed', () => {
    it('records the application with the statement of correction', () => {
      given(penalised).when(applyForRepair('2025-06-03')).then([repairApplied]);
    });

    it('requires a statement of correction', () => {
      given(penalised)
        .when(applyForRepair('2025-06-03', { correctionStatement: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'correctionStatement' });
    });

    it('refuses a record that is not a penalty, or does not exist', () => {
      given([...penalised, honourRecorded()])
        .when(applyForRepair('2025-06-03', { recordId: 'honour-1' }))
        .thenThrows('REPAIR.NOT_APPLICABLE', { kind: 'honour' });
      given(penalised)
        .when(applyForRepair('2025-06-03', { recordId: 'penalty-9' }))
        .thenThrows('RECORD.NOT_FOUND');
    });
  });

  describe('at the boundary days of the minimum period (minimumPeriodEndsOn is the first day a repair may be asked)', () => {
    it('a general-tier penalty (3 to 12 months): refused the day before, accepted on the day and after', () => {
      given(penalised)
        .when(applyForRepair('2025-06-02'))
        .thenThrows('REPAIR.MINIMUM_PERIOD_NOT_REACHED', { earliestDate: '2025-06-03' });
      given(penalised).when(applyForRepair('2025-06-03')).then([repairApplied]);
      given(penalised)
        .when(applyForRepair('2025-06-04'))
        .then([{ ...repairApplied, data: { ...repairApplied.data, appliedOn: '2025-06-04' } }]);
    });

    // Minor tier: published 3 months and no more (REFERENCE.md: "ends automatically after 3 months"); its
    // minimum is its maximum, so the day the minimum ends is the day publicity ends of itself.
    const minorPenalised: SubjectEvent[] = [
      schoolRegistered,
      gradeChanged(null, 'B', '2025-01-06'),
      penaltyRecorded({ severity: 'minor' }),
    ];
    it.each(['2025-06-02', '2025-06-03', '2025-06-04'])(
      'a minor-tier penalty is never repaired: its publicity ends automatically on 2025-06-03 (asked %s)',
      (date) => {
        given(minorPenalised)
          .when(applyForRepair(date))
          .thenThrows('REPAIR.PUBLICITY_ENDS_AUTOMATICALLY', {
            severity: 'minor',
            publicityEndsOn: '2025-06-03',
          });
      },
    );
  });

  describe('when the record can never be repaired', () => {
    it('refuses with the reason, whatever the date (Teachers Law Art. 14)', () => {
      given([
        teacherRegistered,
        gradeChanged(null, 'B', '2025-01-06', { subjectId: teacherId, subject: teacher }),
        penaltyRecorded({
          subjectId: teacherId,
          subject: teacher,
          severity: 'serious',
          penalty: { categories: ['teacher_qualification_lost'], misconduct: 'intentional_crime' },
        }),
      ])
        .when(applyForRepair('2028-03-03', { subjectId: teacherId }))
        .thenThrows('REPAIR.RECORD_NOT_REPAIRABLE', { reason: 'TEACHERS_LAW_ART_14' });
    });
  });

  describe('when a repair application is pending', () => {
    it('refuses a second application for the same penalty, and a reused application id', () => {
      given(pending)
        .when(applyForRepair('2025-06-04', { applicationId: 'repair-2' }))
        .thenThrows('REPAIR.APPLICATION_PENDING', { applicationId: 'repair-1' });
      given(pending).when(applyForRepair('2025-06-04')).thenThrows('REPAIR.DUPLICATE_APPLICATION_ID');
    });

    it('approval ends the penalty’s publicity early and restores the standing', () => {
      given(pending)
        .when(decideRepair('2025-06-10'))
        .then([
          {
            type: 'RepairApproved',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              applicationId: 'repair-1',
              decidedOn: '2025-06-10',
            },
          },
          listChanged('key_supervision', 'left', '2025-06-10'),
          gradeChanged('C', 'B', '2025-06-10'),
        ]);
    });

    it('a rejection states its reason and changes nothing else', () => {
      given(pending)
        .when(decideRepair('2025-06-10', { decision: 'rejected' }))
        .thenThrows('REPAIR.REJECTION_REASON_REQUIRED');
      given(pending)
        .when(decideRepair('2025-06-10', { decision: 'rejected', reason: 'Fees not yet refunded' }))
        .then([
          {
            type: 'RepairRejected',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              applicationId: 'repair-1',
              reason: 'Fees not yet refunded',
              decidedOn: '2025-06-10',
            },
          },
        ]);
    });

    it('refuses to decide an unknown application', () => {
      given(pending)
        .when(decideRepair('2025-06-10', { applicationId: 'repair-9' }))
        .thenThrows('REPAIR.APPLICATION_NOT_FOUND');
    });

    it('cannot approve once the penalty was revoked, but can still reject', () => {
      const revoked: SubjectEvent[] = [
        {
          type: 'RecordRevoked',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            reason: 'Decision annulled on review',
            revokedOn: '2025-06-05',
          },
        },
        listChanged('key_supervision', 'left', '2025-06-05'),
        gradeChanged('C', 'B', '2025-06-05'),
      ];
      given([...pending, ...revoked])
        .when(decideRepair('2025-06-10'))
        .thenThrows('REPAIR.NOT_APPLICABLE', { status: 'revoked' });
      given([...pending, ...revoked])
        .when(decideRepair('2025-06-10', { decision: 'rejected', reason: 'Penalty annulled' }))
        .thenEventTypes(['RepairRejected']);
    });
  });

  describe('when the application was decided', () => {
    it('refuses a second decision', () => {
      given([
        ...pending,
        {
          type: 'RepairApproved',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            applicationId: 'repair-1',
            decidedOn: '2025-06-10',
          },
        },
      ])
        .when(decideRepair('2025-06-11', { decision: 'rejected', reason: 'Changed our mind' }))
        .thenThrows('REPAIR.ALREADY_DECIDED', { status: 'approved' });
    });
  });

  describe('when the subject is black-listed for a serious penalty', () => {
    it('an approved repair removes it from the black list early', () => {
      given([
        schoolRegistered,
        gradeChanged(null, 'B', '2025-01-06'),
        penaltyRecorded({ severity: 'serious' }),
        listChanged('black', 'entered', '2025-03-05', {
          reasons: [{ code: 'serious_penalty', recordId: 'penalty-1' }],
          measures: ['no_honours_or_commendation', 'no_project_funding', 'more_frequent_inspection'],
        }),
        listChanged('key_supervision', 'entered', '2025-03-05', {
          reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
          measures: keySupervisionMeasures,
        }),
        gradeChanged('B', 'D', '2025-03-05'),
        { ...repairApplied, data: { ...repairApplied.data, appliedOn: '2026-03-03' } },
      ])
        .when(decideRepair('2026-03-10'))
        .thenEventTypes([
          'RepairApproved',
          'ListMembershipChanged',
          'ListMembershipChanged',
          'CreditGradeChanged',
        ]);
    });
  });

  describe('when publicity has already ended at its maximum', () => {
    it('has nothing left to repair', () => {
      given([
        ...penalised,
        {
          type: 'PublicityEnded',
          data: { subjectId: schoolId, recordId: 'penalty-1', endedOn: '2026-03-03' },
        },
      ])
        .when(applyForRepair('2026-03-04'))
        .thenThrows('REPAIR.NOT_APPLICABLE', { status: 'publicity_ended' });
    });
  });

  describe('when a repair commitment about the penalty was breached', () => {
    it('refuses any further repair', () => {
      given([...penalised, publicityExtendedToMaximum()])
        .when(applyForRepair('2025-09-01'))
        .thenThrows('REPAIR.BARRED_AFTER_COMMITMENT_BREACH', { breachedCommitmentId: 'commitment-1' });
    });
  });

  describe('when the penalty was revoked while its application was pending', () => {
    it('keeps it revoked, with none of its details, however its application is decided', () => {
      const history: SubjectEvent[] = [
        ...pending,
        {
          type: 'RecordRevoked',
          data: { subjectId: schoolId, recordId: 'penalty-1', reason: 'Annulled', revokedOn: '2025-06-04' },
        },
        {
          type: 'RepairApproved',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            applicationId: 'repair-1',
            decidedOn: '2025-06-05',
          },
        },
      ];
      const state = fold(subjectDecider, history);
      if (state.status !== 'registered') throw new Error('not registered');
      expect(state.records).toEqual([
        { kind: 'penalty', recordId: 'penalty-1', status: 'revoked', disputedBy: null },
      ]);
      expect(deriveCreditStatus(state, defaultPolicy, '2025-06-05').pendingRepairs).toEqual([]);
    });
  });
});
