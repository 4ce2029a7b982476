import type { MeasureCode } from '../../policy/credit-policy';
import type { MarkCommitmentDue, RecordCommitmentOutcome, SignCommitment } from '../subject.commands';
import type { SubjectEvent } from '../subject.events';
import {
  commitmentSigned,
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
} from '../testing/subject-fixtures';

const signCommitment = (
  data: Partial<SignCommitment['data']> = {},
  meta = on('2025-03-10'),
): SignCommitment => ({
  type: 'SignCommitment',
  data: { subjectId: schoolId, recordId: 'commitment-1', ...commitmentSigned().data.commitment, ...data },
  metadata: meta,
});

const markDue = (date: string): MarkCommitmentDue => ({
  type: 'MarkCommitmentDue',
  data: { subjectId: schoolId, recordId: 'commitment-1' },
  metadata: on(date),
});

const recordOutcome = (
  data: Partial<RecordCommitmentOutcome['data']> = {},
  date = '2025-05-12',
): RecordCommitmentOutcome => ({
  type: 'RecordCommitmentOutcome',
  data: { subjectId: schoolId, recordId: 'commitment-1', outcome: 'kept', ...data },
  metadata: on(date),
});

const breach = {
  outcome: 'not_kept' as const,
  unkeptContent: 'No certificate provided',
  liabilityPursued: 'Approval withdrawn',
};
const blackMeasures: MeasureCode[] = [
  'no_honours_or_commendation',
  'no_project_funding',
  'more_frequent_inspection',
];
const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];
const signed = [...registered, commitmentSigned()];

describe('credit commitments', () => {
  describe('when the subject is registered', () => {
    it('records a signed commitment', () => {
      given(registered).when(signCommitment()).then([commitmentSigned()]);
    });

    it('refuses a malformed commitment code', () => {
      given(registered)
        .when(signCommitment({ code: '3502032025031000001' }))
        .thenThrows('COMMITMENT.INVALID_CODE');
      given(registered)
        .when(signCommitment({ code: '35020320251310000017' }))
        .thenThrows('COMMITMENT.INVALID_CODE');
    });

    it('refuses a validity ending before the commitment was made', () => {
      given(registered)
        .when(signCommitment({ validUntil: '2025-03-09' }))
        .thenThrows('COMMITMENT.VALIDITY_BEFORE_DATE_MADE');
    });

    it('refuses a code whose date is not the date made', () => {
      given(registered)
        .when(signCommitment({ code: '35020320250311000017' }))
        .thenThrows('COMMITMENT.CODE_DATE_MISMATCH', {
          field: 'code',
          codeDate: '2025-03-11',
          madeOn: '2025-03-10',
        });
    });

    it('accepts a code of the subject’s county, city or province, and refuses one of another branch', () => {
      for (const division of ['350203', '350200', '350000']) {
        given(registered)
          .when(signCommitment({ code: `${division}20250310000017` }))
          .thenEventTypes(['CommitmentSigned']);
      }
      for (const division of ['350206', '350100', '440000']) {
        given(registered)
          .when(signCommitment({ code: `${division}20250310000017` }))
          .thenThrows('COMMITMENT.CODE_DIVISION_MISMATCH', {
            field: 'code',
            codeDivision: division,
            jurisdiction: '350203',
          });
      }
    });

    it('refuses a commitment made more than five years ago (policy), and accepts one made exactly then', () => {
      given(registered)
        .when(signCommitment({ code: '35020320200309000017', madeOn: '2020-03-09', validUntil: '2025-03-09' }))
        .thenThrows('COMMITMENT.MADE_TOO_LONG_AGO', { field: 'madeOn', earliestMadeOn: '2020-03-10' });
      given(registered)
        .when(signCommitment({ code: '35020320200310000017', madeOn: '2020-03-10', validUntil: '2025-03-10' }))
        .thenEventTypes(['CommitmentSigned']);
    });

    it('refuses a validity longer than five years from the date made (policy)', () => {
      given(registered)
        .when(signCommitment({ validUntil: '2030-03-11' }))
        .thenThrows('COMMITMENT.VALIDITY_TOO_LONG', { field: 'validUntil', latestValidUntil: '2030-03-10' });
      given(registered)
        .when(signCommitment({ validUntil: '2030-03-10' }))
        .thenEventTypes(['CommitmentSigned']);
    });

    it('refuses a commitment made in the future', () => {
      given(registered)
        .when(signCommitment({ code: '35020320250311000017', madeOn: '2025-03-11' }))
        .thenThrows('INPUT.DATE_IN_FUTURE', { field: 'madeOn' });
    });

    it('requires the liability on breach and a valid accepting unit', () => {
      given(registered)
        .when(signCommitment({ liabilityOnBreach: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'liabilityOnBreach' });
      given(registered)
        .when(signCommitment({ acceptingUnit: { name: '厦门市教育局', uscc: '11350200MB012345' } }))
        .thenThrows('INPUT.INVALID_USCC', { field: 'acceptingUnit.uscc', reason: 'WRONG_LENGTH' });
    });

    it('requires a repair commitment to name an existing penalty of the subject', () => {
      given(registered)
        .when(signCommitment({ type: 'credit_repair' }))
        .thenThrows('COMMITMENT.RELATED_PENALTY_REQUIRED');
      given(registered)
        .when(signCommitment({ type: 'credit_repair', relatedPenaltyId: 'penalty-9' }))
        .thenThrows('RECORD.NOT_FOUND', { recordId: 'penalty-9' });
      given([...registered, honourRecorded()])
        .when(signCommitment({ type: 'credit_repair', relatedPenaltyId: 'honour-1' }))
        .thenThrows('RECORD.WRONG_KIND');
    });
  });

  describe('when a commitment is in force', () => {
    it('refuses another commitment with the same code', () => {
      given(signed)
        .when(signCommitment({ recordId: 'commitment-2' }))
        .thenThrows('COMMITMENT.DUPLICATE_CODE');
    });

    it('falls due only after its last binding day', () => {
      given(signed)
        .when(markDue('2025-05-09'))
        .thenThrows('COMMITMENT.NOT_YET_DUE', { validUntil: '2025-05-09' });
      given(signed)
        .when(markDue('2025-05-10'))
        .then([
          {
            type: 'CommitmentFellDue',
            data: { subjectId: schoolId, recordId: 'commitment-1', validUntil: '2025-05-09' },
          },
        ]);
    });

    it('records a kept commitment as trustworthy, changing nothing else', () => {
      given(signed)
        .when(recordOutcome())
        .then([
          {
            type: 'CommitmentOutcomeRecorded',
            data: {
              subjectId: schoolId,
              recordId: 'commitment-1',
              outcome: 'kept',
              assessedOn: '2025-05-12',
              dishonest: false,
            },
          },
        ]);
    });

    it('requires what was not kept and the liability pursued unless it was kept', () => {
      given(signed)
        .when(recordOutcome({ outcome: 'partly_kept' }))
        .thenThrows('COMMITMENT.BREACH_DETAILS_REQUIRED', { field: 'unkeptContent' });
      given(signed)
        .when(recordOutcome({ ...breach, liabilityPursued: ' ' }))
        .thenThrows('COMMITMENT.BREACH_DETAILS_REQUIRED', { field: 'liabilityPursued' });
    });

    it('records a partly kept commitment with its details, not as dishonest', () => {
      given(signed)
        .when(recordOutcome({ ...breach, outcome: 'partly_kept' }))
        .then([
          {
            type: 'CommitmentOutcomeRecorded',
            data: {
              subjectId: schoolId,
              recordId: 'commitment-1',
              outcome: 'partly_kept',
              assessedOn: '2025-05-12',
              unkeptContent: breach.unkeptContent,
              liabilityPursued: breach.liabilityPursued,
              dishonest: false,
            },
          },
        ]);
    });

    it('records a breach (违诺) as dishonest information for five years and black-lists the subject', () => {
      given(signed)
        .when(recordOutcome(breach))
        .then([
          {
            type: 'CommitmentOutcomeRecorded',
            data: {
              subjectId: schoolId,
              recordId: 'commitment-1',
              outcome: 'not_kept',
              assessedOn: '2025-05-12',
              unkeptContent: breach.unkeptContent,
              liabilityPursued: breach.liabilityPursued,
              dishonest: true,
              dishonestUntil: '2030-05-12',
            },
          },
          listChanged('black', 'entered', '2025-05-12', {
            reasons: [{ code: 'commitment_not_kept', recordId: 'commitment-1' }],
            measures: blackMeasures,
          }),
          gradeChanged('B', 'D', '2025-05-12'),
        ]);
    });
  });

  describe('when the outcome is already recorded', () => {
    it('refuses a second outcome and refuses to fall due', () => {
      const assessed: SubjectEvent[] = [
        ...signed,
        {
          type: 'CommitmentOutcomeRecorded',
          data: {
            subjectId: schoolId,
            recordId: 'commitment-1',
            outcome: 'kept',
            assessedOn: '2025-05-12',
            dishonest: false,
          },
        },
      ];
      given(assessed).when(recordOutcome(breach)).thenThrows('COMMITMENT.OUTCOME_ALREADY_RECORDED');
      given(assessed).when(markDue('2025-05-13')).thenThrows('COMMITMENT.NOT_IN_FORCE');
    });
  });

  describe('when a repair commitment is breached', () => {
    const penalised: SubjectEvent[] = [
      ...registered,
      penaltyRecorded(),
      listChanged('key_supervision', 'entered', '2025-03-05', {
        reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
        measures: keySupervisionMeasures,
      }),
      gradeChanged('B', 'C', '2025-03-05'),
      {
        type: 'RepairApplied',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          applicationId: 'repair-1',
          correctionStatement: 'Stopped the unapproved classes and refunded fees',
          appliedOn: '2025-06-05',
        },
      },
    ];
    const repairCommitment = commitmentSigned(
      {
        code: '35020320250605000003',
        type: 'credit_repair',
        relatedPenaltyId: 'penalty-1',
        madeOn: '2025-06-05',
        validUntil: '2025-12-31',
      },
      'commitment-1',
    );
    const breachRecorded = expect.objectContaining({ type: 'CommitmentOutcomeRecorded' });

    it('publishes the repaired penalty again until its maximum period', () => {
      given([
        ...penalised,
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
        repairCommitment,
      ])
        .when(recordOutcome(breach, '2025-08-01'))
        .then([
          {
            type: 'CommitmentOutcomeRecorded',
            data: {
              subjectId: schoolId,
              recordId: 'commitment-1',
              assessedOn: '2025-08-01',
              ...breach,
              dishonest: true,
              dishonestUntil: '2030-08-01',
            },
          },
          publicityExtendedToMaximum(),
          listChanged('black', 'entered', '2025-08-01', {
            reasons: [{ code: 'commitment_not_kept', recordId: 'commitment-1' }],
            measures: blackMeasures,
          }),
          listChanged('key_supervision', 'entered', '2025-08-01', {
            reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
            measures: keySupervisionMeasures,
          }),
          gradeChanged('B', 'D', '2025-08-01'),
        ]);
    });

    it('rejects a repair application still pending for that penalty', () => {
      given([...penalised, repairCommitment])
        .when(recordOutcome(breach, '2025-08-01'))
        .thenIncludes([
          breachRecorded,
          {
            type: 'RepairRejected',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              applicationId: 'repair-1',
              reason: 'Repair commitment commitment-1 was not kept',
              decidedOn: '2025-08-01',
            },
          },
          expect.objectContaining({ type: 'PublicityExtendedToMaximum' }),
        ]);
    });

    it('changes nothing about a penalty whose maximum period has already passed', () => {
      given([...penalised, repairCommitment])
        .when(recordOutcome(breach, '2026-03-03'))
        .thenEventTypes(['CommitmentOutcomeRecorded', 'ListMembershipChanged', 'CreditGradeChanged']);
    });
  });
});
