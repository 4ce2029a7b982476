import type { FileObjection, ResolveObjection } from '../subject.commands';
import type { SubjectEvent } from '../subject.events';
import {
  given,
  gradeChanged,
  keySupervisionMeasures,
  listChanged,
  on,
  penaltyRecorded,
  schoolId,
  schoolRegistered,
} from '../testing/subject-fixtures';

const fileObjection = (data: Partial<FileObjection['data']> = {}, date = '2025-09-30'): FileObjection => ({
  type: 'FileObjection',
  data: {
    subjectId: schoolId,
    recordId: 'penalty-1',
    objectionId: 'objection-1',
    grounds: 'The classes were approved by the district on 2 January',
    requiresExternalVerification: false,
    ...data,
  },
  metadata: on(date),
});

const resolveObjection = (
  data: Partial<ResolveObjection['data']> = {},
  date = '2025-10-10',
): ResolveObjection => ({
  type: 'ResolveObjection',
  data: {
    subjectId: schoolId,
    objectionId: 'objection-1',
    outcome: 'upheld',
    reason: 'Approval did not cover primary pupils',
    ...data,
  },
  metadata: on(date),
});

const objectionFiled = {
  type: 'ObjectionFiled' as const,
  data: {
    subjectId: schoolId,
    recordId: 'penalty-1',
    objectionId: 'objection-1',
    grounds: 'The classes were approved by the district on 2 January',
    requiresExternalVerification: false,
    filedOn: '2025-09-30',
    decisionDueBy: '2025-10-11',
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
const disputed = [...penalised, objectionFiled];

describe('objections (异议处理)', () => {
  describe('when the record is not disputed', () => {
    it('flags the record at once, with a decision due in 3 working days', () => {
      // 30 September: the National Day week is off, Saturday 11 October is a make-up working day.
      given(penalised).when(fileObjection()).then([objectionFiled]);
    });

    it('allows 7 working days when another unit must verify the facts', () => {
      given(penalised)
        .when(fileObjection({ requiresExternalVerification: true }))
        .then([
          {
            ...objectionFiled,
            data: { ...objectionFiled.data, requiresExternalVerification: true, decisionDueBy: '2025-10-16' },
          },
        ]);
    });

    it('requires grounds and an existing record', () => {
      given(penalised)
        .when(fileObjection({ grounds: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'grounds' });
      given(penalised)
        .when(fileObjection({ recordId: 'penalty-9' }))
        .thenThrows('RECORD.NOT_FOUND');
    });

    it('refuses an objection to a revoked record', () => {
      given([
        ...penalised,
        {
          type: 'RecordRevoked',
          data: { subjectId: schoolId, recordId: 'penalty-1', reason: 'Annulled', revokedOn: '2025-09-01' },
        },
      ])
        .when(fileObjection())
        .thenThrows('RECORD.ALREADY_REVOKED');
    });
  });

  describe('when the record is disputed', () => {
    it('refuses a second objection while the first is open, and a reused objection id', () => {
      given(disputed)
        .when(fileObjection({ objectionId: 'objection-2' }))
        .thenThrows('OBJECTION.ALREADY_OPEN');
      given(disputed).when(fileObjection()).thenThrows('OBJECTION.DUPLICATE_ID');
    });

    it('upholds the record, noting whether the decision met its deadline', () => {
      const resolved = (resolvedOn: string, withinDeadline: boolean) => ({
        type: 'ObjectionResolved' as const,
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          objectionId: 'objection-1',
          recordOutcome: 'upheld' as const,
          reason: 'Approval did not cover primary pupils',
          resolvedOn,
          withinDeadline,
          decisionDueBy: '2025-10-11',
        },
      });
      given(disputed)
        .when(resolveObjection({}, '2025-10-11'))
        .then([resolved('2025-10-11', true)]);
      given(disputed)
        .when(resolveObjection({}, '2025-10-13'))
        .then([resolved('2025-10-13', false)]);
    });

    it('corrects the record, stating only the fields that change', () => {
      given(disputed)
        .when(
          resolveObjection({
            outcome: 'corrected',
            reason: 'Facts overstated the number of pupils',
            corrections: {
              facts: 'Ran tutoring for 12 primary pupils without approval',
              offenceType: 'Operating beyond the approved scope',
            },
          }),
        )
        .then([
          {
            type: 'ObjectionResolved',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              objectionId: 'objection-1',
              recordOutcome: 'corrected',
              reason: 'Facts overstated the number of pupils',
              resolvedOn: '2025-10-10',
              withinDeadline: true,
              decisionDueBy: '2025-10-11',
            },
          },
          {
            type: 'RecordCorrected',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              corrections: { facts: 'Ran tutoring for 12 primary pupils without approval' },
              reason: 'Facts overstated the number of pupils',
              objectionId: 'objection-1',
              correctedOn: '2025-10-10',
            },
          },
        ]);
    });

    it('requires the corrections of a corrected outcome, and only correctable fields', () => {
      given(disputed)
        .when(resolveObjection({ outcome: 'corrected' }))
        .thenThrows('OBJECTION.CORRECTIONS_REQUIRED');
      given(disputed)
        .when(
          resolveObjection({ outcome: 'corrected', corrections: { decisionDate: '2025-03-01' } as never }),
        )
        .thenThrows('RECORD.FIELD_NOT_CORRECTABLE', { fields: ['decisionDate'] });
    });

    it('refuses to resolve an unknown objection', () => {
      given(disputed)
        .when(resolveObjection({ objectionId: 'objection-9' }))
        .thenThrows('OBJECTION.NOT_FOUND');
    });
  });

  describe('when the objection was resolved', () => {
    const resolved: SubjectEvent[] = [
      ...disputed,
      {
        type: 'ObjectionResolved',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          objectionId: 'objection-1',
          recordOutcome: 'upheld',
          reason: 'Approval did not cover primary pupils',
          resolvedOn: '2025-10-10',
          withinDeadline: true,
          decisionDueBy: '2025-10-11',
        },
      },
    ];

    it('cannot be resolved again', () => {
      given(resolved).when(resolveObjection()).thenThrows('OBJECTION.ALREADY_RESOLVED');
    });

    it('leaves the record open to a new objection', () => {
      given(resolved)
        .when(fileObjection({ objectionId: 'objection-2' }, '2025-11-03'))
        .thenEventTypes(['ObjectionFiled']);
    });
  });
});
