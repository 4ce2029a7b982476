import { fold } from '../../decider';
import { defaultPolicy } from '../../policy/default-policy';
import { deriveCreditStatus } from '../credit-status';
import { subjectDecider } from '../subject.decider';
import type {
  CorrectRecord,
  EndPublicity,
  ExpireRecord,
  ReassessCredit,
  RevokeRecord,
} from '../subject.commands';
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
  rectificationNoticeIssued,
  scheduler,
  schoolId,
  schoolRegistered,
} from '../testing/subject-fixtures';

const correct = (
  corrections: CorrectRecord['data']['corrections'],
  recordId = 'penalty-1',
  reason = 'Typing error',
): CorrectRecord => ({
  type: 'CorrectRecord',
  data: { subjectId: schoolId, recordId, corrections, reason },
  metadata: on('2025-04-01'),
});
const revoke = (reason = 'Decision annulled on administrative review'): RevokeRecord => ({
  type: 'RevokeRecord',
  data: { subjectId: schoolId, recordId: 'penalty-1', reason },
  metadata: on('2025-04-01'),
});
const endPublicity = (date: string, recordId = 'penalty-1'): EndPublicity => ({
  type: 'EndPublicity',
  data: { subjectId: schoolId, recordId },
  metadata: on(date, { actor: scheduler }),
});
const expire = (date: string, recordId = 'penalty-1'): ExpireRecord => ({
  type: 'ExpireRecord',
  data: { subjectId: schoolId, recordId },
  metadata: on(date, { actor: scheduler }),
});

const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];
const penalised: SubjectEvent[] = [
  ...registered,
  penaltyRecorded(),
  listChanged('key_supervision', 'entered', '2025-03-05', {
    reasons: [{ code: 'active_penalty', recordId: 'penalty-1' }],
    measures: keySupervisionMeasures,
  }),
  gradeChanged('B', 'C', '2025-03-05'),
];
const honoured: SubjectEvent[] = [
  ...registered,
  honourRecorded(),
  listChanged('red', 'entered', '2025-02-12', {
    reasons: [{ code: 'active_honour', recordId: 'honour-1' }],
    measures: ['priority_for_honours_and_funding', 'simplified_procedures', 'fewer_inspections'],
  }),
  gradeChanged('B', 'A', '2025-02-12'),
];
const publicityEnded: SubjectEvent[] = [
  ...penalised,
  { type: 'PublicityEnded', data: { subjectId: schoolId, recordId: 'penalty-1', endedOn: '2026-03-03' } },
  listChanged('key_supervision', 'left', '2026-03-03'),
  gradeChanged('C', 'B', '2026-03-03'),
];

describe('official corrections', () => {
  describe('when the penalty is active', () => {
    it('records the changed fields and the reason; the original event stays', () => {
      given(penalised)
        .when(correct({ facts: 'Ran tutoring for 12 primary pupils', fineAmountTenThousandYuan: 2 }))
        .then([
          {
            type: 'RecordCorrected',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              corrections: { facts: 'Ran tutoring for 12 primary pupils' },
              reason: 'Typing error',
              correctedOn: '2025-04-01',
            },
          },
        ]);
    });

    it('refuses fields that decide the publicity window: those need revocation and a new record', () => {
      given(penalised)
        .when(correct({ decisionDate: '2025-03-01' } as never))
        .thenThrows('RECORD.FIELD_NOT_CORRECTABLE', { fields: ['decisionDate'] });
    });

    it('refuses a correction that changes nothing, empties a required field or lacks a reason', () => {
      given(penalised)
        .when(correct({ facts: penaltyRecorded().data.penalty.facts }))
        .thenThrows('RECORD.NOTHING_TO_CORRECT');
      given(penalised)
        .when(correct({ facts: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'facts' });
      given(penalised)
        .when(correct({ fineAmountTenThousandYuan: -3 }))
        .thenThrows('INPUT.INVALID_AMOUNT');
      given(penalised)
        .when(correct({ facts: 'x' }, 'penalty-1', ''))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'reason' });
    });
  });

  describe('when the record is an honour or a commitment', () => {
    it('corrects an honour’s title but not a commitment', () => {
      given([...honoured, commitmentSigned()])
        .when(correct({ title: '厦门市文明校园（2024年度）' }, 'honour-1'))
        .thenEventTypes(['RecordCorrected']);
      given([...registered, commitmentSigned()])
        .when(correct({ title: 'x' }, 'commitment-1'))
        .thenThrows('RECORD.FIELD_NOT_CORRECTABLE');
    });
  });
});

describe('revocation', () => {
  describe('when the penalty is active', () => {
    it('withdraws the record and its effect on lists and grade', () => {
      given(penalised)
        .when(revoke())
        .then([
          {
            type: 'RecordRevoked',
            data: {
              subjectId: schoolId,
              recordId: 'penalty-1',
              reason: 'Decision annulled on administrative review',
              revokedOn: '2025-04-01',
            },
          },
          listChanged('key_supervision', 'left', '2025-04-01'),
          gradeChanged('C', 'B', '2025-04-01'),
        ]);
    });

    it('requires a reason', () => {
      given(penalised).when(revoke('')).thenThrows('INPUT.FIELD_REQUIRED', { field: 'reason' });
    });
  });

  describe('when the penalty is disputed by an open objection', () => {
    const objectionFiled: SubjectEvent = {
      type: 'ObjectionFiled',
      data: {
        subjectId: schoolId,
        recordId: 'penalty-1',
        objectionId: 'objection-1',
        grounds: 'The classes were approved by the district',
        requiresExternalVerification: false,
        filedOn: '2025-03-20',
        decisionDueBy: '2025-03-25',
      },
    };
    const revokedEvent: SubjectEvent = {
      type: 'RecordRevoked',
      data: {
        subjectId: schoolId,
        recordId: 'penalty-1',
        reason: 'Decision annulled on administrative review',
        revokedOn: '2025-04-01',
      },
    };
    const closedWithIt: SubjectEvent = {
      type: 'ObjectionResolved',
      data: {
        subjectId: schoolId,
        recordId: 'penalty-1',
        objectionId: 'objection-1',
        recordOutcome: 'record_revoked',
        reason: 'Decision annulled on administrative review',
        resolvedOn: '2025-04-01',
        withinDeadline: false,
        decisionDueBy: '2025-03-25',
      },
    };

    it('closes the objection with the revocation: the record is no longer disputed', () => {
      given([...penalised, objectionFiled])
        .when(revoke())
        .then([
          revokedEvent,
          closedWithIt,
          listChanged('key_supervision', 'left', '2025-04-01'),
          gradeChanged('C', 'B', '2025-04-01'),
        ]);
    });

    it('leaves nothing disputed and the objection resolved, so it cannot be decided again', () => {
      const after = [
        ...penalised,
        objectionFiled,
        revokedEvent,
        closedWithIt,
        listChanged('key_supervision', 'left', '2025-04-01'),
        gradeChanged('C', 'B', '2025-04-01'),
      ];
      const state = fold(subjectDecider, after);
      if (state.status !== 'registered') throw new Error('registered expected');
      expect(deriveCreditStatus(state, defaultPolicy, '2025-04-02').disputedRecords).toEqual([]);
      given(after)
        .when({
          type: 'ResolveObjection',
          data: { subjectId: schoolId, objectionId: 'objection-1', outcome: 'upheld', reason: 'x' },
          metadata: on('2025-04-02'),
        })
        .thenThrows('OBJECTION.ALREADY_RESOLVED');
    });
  });

  describe('when the record is revoked', () => {
    const revoked: SubjectEvent[] = [
      ...penalised,
      {
        type: 'RecordRevoked',
        data: { subjectId: schoolId, recordId: 'penalty-1', reason: 'Annulled', revokedOn: '2025-04-01' },
      },
      listChanged('key_supervision', 'left', '2025-04-01'),
      gradeChanged('C', 'B', '2025-04-01'),
    ];

    it('cannot be revoked, corrected or expired again', () => {
      given(revoked).when(revoke()).thenThrows('RECORD.ALREADY_REVOKED');
      given(revoked)
        .when(correct({ facts: 'x' }))
        .thenThrows('RECORD.ALREADY_REVOKED');
      given(revoked).when(expire('2030-03-03')).thenThrows('RECORD.ALREADY_REVOKED');
    });
  });
});

describe('end of publicity (scheduler)', () => {
  describe('when the penalty is published', () => {
    it('is refused before the maximum period is reached', () => {
      given(penalised)
        .when(endPublicity('2026-03-02'))
        .thenThrows('PUBLICITY.MAXIMUM_NOT_REACHED', { maximumPeriodEndsOn: '2026-03-03' });
    });

    it('ends publicity on the last day of the maximum period and restores the standing', () => {
      given(penalised).when(endPublicity('2026-03-03')).then(publicityEnded.slice(penalised.length));
    });

    it('applies to penalties only', () => {
      given([...penalised, honourRecorded()])
        .when(endPublicity('2026-03-03', 'honour-1'))
        .thenThrows('RECORD.WRONG_KIND');
    });
  });

  describe('when publicity has already ended', () => {
    it('is refused', () => {
      given(publicityEnded)
        .when(endPublicity('2026-03-04'))
        .thenThrows('PUBLICITY.NOT_ACTIVE', { status: 'publicity_ended' });
    });
  });
});

describe('expiry of validity (scheduler)', () => {
  describe('when publicity has ended', () => {
    it('expires the penalty five years after the decision', () => {
      given(publicityEnded)
        .when(expire('2030-03-02'))
        .thenThrows('RECORD.STILL_VALID', { expiresOn: '2030-03-03' });
      given(publicityEnded)
        .when(expire('2030-03-03'))
        .then([
          {
            type: 'RecordExpired',
            data: { subjectId: schoolId, recordId: 'penalty-1', expiredOn: '2030-03-03' },
          },
        ]);
    });
  });

  describe('when the record is an honour that put the subject on the red list', () => {
    it('takes the subject off the red list', () => {
      given(honoured)
        .when(expire('2030-02-10', 'honour-1'))
        .then([
          {
            type: 'RecordExpired',
            data: { subjectId: schoolId, recordId: 'honour-1', expiredOn: '2030-02-10' },
          },
          listChanged('red', 'left', '2030-02-10'),
          gradeChanged('A', 'B', '2030-02-10'),
        ]);
    });
  });

  describe('when the record has no validity period', () => {
    it('is refused for a notice and for a commitment without a breach', () => {
      given([...registered, rectificationNoticeIssued()])
        .when(expire('2031-01-01', 'rectification-1'))
        .thenThrows('RECORD.NO_VALIDITY_PERIOD');
      given([...registered, commitmentSigned()])
        .when(expire('2031-01-01', 'commitment-1'))
        .thenThrows('RECORD.NO_VALIDITY_PERIOD');
    });
  });

  describe('when the record has expired', () => {
    it('is refused', () => {
      given([
        ...publicityEnded,
        {
          type: 'RecordExpired',
          data: { subjectId: schoolId, recordId: 'penalty-1', expiredOn: '2030-03-03' },
        },
      ])
        .when(expire('2030-03-04'))
        .thenThrows('RECORD.ALREADY_EXPIRED');
    });
  });
});

describe('reassessment', () => {
  const reassess = (policy = defaultPolicy): ReassessCredit => ({
    type: 'ReassessCredit',
    data: { subjectId: schoolId },
    metadata: on('2025-07-01', { actor: scheduler, policy }),
  });

  it('announces nothing when the standing is unchanged', () => {
    given(penalised).when(reassess()).thenNothingHappens();
  });

  it('announces the changes a new policy version makes', () => {
    const stricter = {
      ...defaultPolicy,
      version: '2025-07',
      lists: {
        ...defaultPolicy.lists,
        black: { ...defaultPolicy.lists.black, severities: ['general', 'serious'] as const },
      },
    };
    given(penalised)
      .when(reassess(stricter))
      .then([
        listChanged('black', 'entered', '2025-07-01', {
          reasons: [{ code: 'serious_penalty', recordId: 'penalty-1' }],
          measures: ['no_honours_or_commendation', 'no_project_funding', 'more_frequent_inspection'],
        }),
        gradeChanged('C', 'D', '2025-07-01'),
      ]);
  });
});
