import { fold } from '../decider';
import type { CreditPolicy } from '../policy/credit-policy';
import { creditUsePurposes, type CreditUsePurpose } from '../policy/credit-use-purposes';
import { defaultPolicy } from '../policy/default-policy';
import { deriveCreditStatus } from '../subject/credit-status';
import { subjectDecider } from '../subject/subject.decider';
import type { SubjectEvent } from '../subject/subject.events';
import type { RegisteredSubject } from '../subject/subject.state';
import type { SubjectSummary } from '../subject/subject-kind';
import {
  commitmentSigned,
  honourRecorded,
  penaltyRecorded,
  rectificationNoticeIssued,
  school,
  schoolId,
  schoolRegistered,
  studentId,
  studentRegistered,
  teacher,
  teacherId,
  teacherRegistered,
} from '../subject/testing/subject-fixtures';
import { reviewCredit, type CreditReview } from './credit-review';

const researcher: SubjectSummary = { kind: 'researcher', name: '陈研究员', jurisdiction: '350203' };
const researcherRegistered: SubjectEvent = {
  type: 'SubjectRegistered',
  data: {
    ...teacherRegistered.data,
    subjectId: 'researcher-1',
    ...researcher,
    identifier: { scheme: 'resident_id', value: '350203198001011237' },
  },
};
const publicSchool: SubjectSummary = { kind: 'school', name: '厦门第一中学', jurisdiction: '350203' };
const publicSchoolRegistered: SubjectEvent = {
  type: 'SubjectRegistered',
  data: { ...schoolRegistered.data, ...publicSchool },
};

/** given(events).reviewedFor(purpose).then…: the review of the subject the events are about. */
const given = (
  events: readonly SubjectEvent[],
  asOf = '2025-06-01',
  policy: CreditPolicy = defaultPolicy,
) => ({
  reviewedFor: (purpose: CreditUsePurpose) => {
    const review = (): CreditReview => {
      const state = fold(subjectDecider, events) as RegisteredSubject;
      return reviewCredit(
        { status: deriveCreditStatus(state, policy, asOf), records: state.records },
        purpose,
        policy,
      );
    };
    return {
      thenClear: () => {
        expect(review()).toMatchObject({ outcome: 'clear', restrictions: [] });
      },
      /** Restricted by exactly these rules, in the policy's order. */
      thenRestrictedBy: (rules: readonly string[]) => {
        const result = review();
        expect(result.outcome).toBe('restricted');
        expect(result.restrictions.map((restriction) => restriction.rule)).toEqual(rules);
      },
      then: (check: (review: CreditReview) => void) => check(review()),
    };
  },
});

const seriousPenalty = (
  subjectId: string,
  subject: SubjectSummary,
  misconduct = 'administrative_violation',
) =>
  penaltyRecorded({
    subjectId,
    subject,
    severity: 'serious',
    penalty: { misconduct: misconduct as never, categories: ['licence_revoked'] },
  });

describe('credit reviews', () => {
  describe('when the subject has no dishonest record', () => {
    it.each(creditUsePurposes)('a teacher is clear for %s', (purpose) => {
      given([teacherRegistered]).reviewedFor(purpose).thenClear();
    });
    it.each(creditUsePurposes)('a private school is clear for %s', (purpose) => {
      given([schoolRegistered, honourRecorded()]).reviewedFor(purpose).thenClear();
    });
    it('says which policy and standing it reviewed', () => {
      given([schoolRegistered, honourRecorded()])
        .reviewedFor('award')
        .then((review) =>
          expect(review).toMatchObject({
            subjectId: schoolId,
            purpose: 'award',
            grade: 'A',
            lists: ['red'],
            policyVersion: '2025-01',
            asOf: '2025-06-01',
          }),
        );
    });
  });

  describe('when a teacher is on the black list', () => {
    const blackListed = [teacherRegistered, seriousPenalty(teacherId, teacher, 'academic_misconduct')];

    it('is vetoed on ethics and limited in a promotion review (师德一票否决)', () => {
      given(blackListed)
        .reviewedFor('promotion')
        .thenRestrictedBy(['TEACHER_ETHICS_VETO_BLACK_LIST', 'BLACK_LIST_PROMOTION_LIMITED']);
    });
    it('names the measure, the list membership, the records behind it and the basis', () => {
      given(blackListed)
        .reviewedFor('promotion')
        .then(({ restrictions: [veto] }) =>
          expect(veto).toEqual({
            rule: 'TEACHER_ETHICS_VETO_BLACK_LIST',
            measure: { code: 'teacher_ethics_veto', description: expect.stringContaining('师德一票否决') },
            basis: expect.stringContaining('一票否决'),
            listMemberships: [
              {
                list: 'black',
                reasons: [
                  { code: 'serious_penalty', recordId: 'penalty-1' },
                  { code: 'serious_misconduct', recordId: 'penalty-1' },
                ],
              },
            ],
            records: [
              {
                recordId: 'penalty-1',
                kind: 'penalty',
                status: 'active',
                documentNumber: '厦教罚〔2025〕3号',
                disputed: false,
              },
            ],
          }),
        );
    });
    it('is vetoed in a hiring review', () => {
      given(blackListed).reviewedFor('hiring').thenRestrictedBy(['TEACHER_ETHICS_VETO_BLACK_LIST']);
    });
    it('is vetoed and gets no honours in an award review', () => {
      given(blackListed)
        .reviewedFor('award')
        .thenRestrictedBy([
          'TEACHER_ETHICS_VETO_BLACK_LIST',
          'BLACK_LIST_NO_HONOURS',
          'DISHONEST_RECORD_NO_HONOURS',
        ]);
    });
    it('gets no funding and limited research funding in a research project review', () => {
      given(blackListed)
        .reviewedFor('research_project')
        .thenRestrictedBy(['BLACK_LIST_NO_FUNDING', 'BLACK_LIST_RESEARCH_FUNDING_LIMITED']);
    });
    it('is restricted in licensing, not in a student-record review', () => {
      given(blackListed).reviewedFor('licensing').thenRestrictedBy(['BLACK_LIST_LICENSING_RESTRICTED']);
      given(blackListed).reviewedFor('student_record').thenClear();
    });
  });

  describe('when a teacher has an active penalty for an ethics violation, not serious enough for the black list', () => {
    const events = [
      teacherRegistered,
      penaltyRecorded({
        subjectId: teacherId,
        subject: teacher,
        penalty: { misconduct: 'teacher_ethics_violation' },
      }),
    ];
    it('is vetoed in promotion, on the penalty alone', () => {
      given(events)
        .reviewedFor('promotion')
        .then((review) => {
          expect(review.lists).toEqual([]);
          expect(review.restrictions).toMatchObject([
            {
              rule: 'TEACHER_ETHICS_VETO_ETHICS_PENALTY',
              listMemberships: [],
              records: [{ recordId: 'penalty-1' }],
            },
          ]);
        });
    });
    it('is clear for funding', () => {
      given(events).reviewedFor('funding').thenClear();
    });
  });

  describe('when a researcher is on the black list', () => {
    const events = [researcherRegistered, seriousPenalty('researcher-1', researcher)];
    it('has no ethics veto (teachers only) but is limited in promotion', () => {
      given(events).reviewedFor('promotion').thenRestrictedBy(['BLACK_LIST_PROMOTION_LIMITED']);
    });
  });

  describe('when a private school is on key supervision (active penalty, not serious)', () => {
    const events = [schoolRegistered, penaltyRecorded()];
    it('gets no funding', () => {
      given(events).reviewedFor('funding').thenRestrictedBy(['KEY_SUPERVISION_NO_FUNDING']);
    });
    it('gets no honours, by the list and by the record', () => {
      given(events)
        .reviewedFor('award')
        .thenRestrictedBy(['KEY_SUPERVISION_NO_HONOURS', 'DISHONEST_RECORD_NO_HONOURS']);
    });
    it('is reviewed strictly for licences', () => {
      given(events).reviewedFor('licensing').thenRestrictedBy(['KEY_SUPERVISION_LICENSING_RESTRICTED']);
    });
    it('is clear for a promotion review (no rule for schools)', () => {
      given(events).reviewedFor('promotion').thenClear();
    });
  });

  describe('when a private school is on the black list', () => {
    it('gets no funding, by the black list and by key supervision', () => {
      given([schoolRegistered, seriousPenalty(schoolId, school)])
        .reviewedFor('funding')
        .thenRestrictedBy(['BLACK_LIST_NO_FUNDING', 'KEY_SUPERVISION_NO_FUNDING']);
    });
  });

  describe('when a public school has an overdue rectification (no key supervision for public schools)', () => {
    const events: SubjectEvent[] = [
      publicSchoolRegistered,
      rectificationNoticeIssued(),
      {
        type: 'RectificationOverdue',
        data: { subjectId: schoolId, recordId: 'rectification-1', deadline: '2025-04-30' },
      },
    ];
    it('gets no funding, naming the notice', () => {
      given(events)
        .reviewedFor('funding')
        .then((review) =>
          expect(review.restrictions).toMatchObject([
            {
              rule: 'OVERDUE_RECTIFICATION_NO_FUNDING',
              listMemberships: [],
              records: [
                { recordId: 'rectification-1', kind: 'rectification', documentNumber: '厦教整〔2025〕12号' },
              ],
            },
          ]),
        );
    });
  });

  describe('when a subject broke a commitment', () => {
    const events: SubjectEvent[] = [
      publicSchoolRegistered,
      commitmentSigned(),
      {
        type: 'CommitmentOutcomeRecorded',
        data: {
          subjectId: schoolId,
          recordId: 'commitment-1',
          outcome: 'not_kept',
          assessedOn: '2025-05-20',
          dishonest: true,
          dishonestUntil: '2026-05-20',
        },
      },
    ];
    it('gets no honours, by the black list and the broken commitment', () => {
      given(events)
        .reviewedFor('award')
        .thenRestrictedBy(['BLACK_LIST_NO_HONOURS', 'BROKEN_COMMITMENT_NO_HONOURS']);
    });
  });

  describe('when a student is reviewed', () => {
    it('is limited in a degree review once on the black list for diploma fraud', () => {
      given([
        studentRegistered,
        seriousPenalty(
          studentId,
          { kind: 'student', name: '李同学', jurisdiction: '350203' },
          'diploma_fraud',
        ),
      ])
        .reviewedFor('degree')
        .thenRestrictedBy(['BLACK_LIST_DEGREE_LIMITED']);
    });
    it('is limited in admission with an active exam-cheating penalty', () => {
      given([
        studentRegistered,
        penaltyRecorded({
          subjectId: studentId,
          subject: { kind: 'student', name: '李同学', jurisdiction: '350203' },
          penalty: { misconduct: 'exam_cheating' },
        }),
      ])
        .reviewedFor('admission')
        .thenRestrictedBy(['EXAM_MISCONDUCT_ADMISSION_LIMITED']);
    });
  });

  describe('when the disputed record is behind the restriction', () => {
    it('still restricts, and says the record is disputed', () => {
      given([
        teacherRegistered,
        seriousPenalty(teacherId, teacher),
        {
          type: 'ObjectionFiled',
          data: {
            subjectId: teacherId,
            recordId: 'penalty-1',
            objectionId: 'objection-1',
            grounds: '处罚决定已被复议撤销',
            requiresExternalVerification: false,
            filedOn: '2025-05-01',
            decisionDueBy: '2025-05-07',
          },
        },
      ])
        .reviewedFor('hiring')
        .then((review) => expect(review.restrictions[0]!.records[0]!.disputed).toBe(true));
    });
  });

  describe('when the record behind a restriction was revoked', () => {
    it('is clear', () => {
      given([
        teacherRegistered,
        seriousPenalty(teacherId, teacher),
        {
          type: 'RecordRevoked',
          data: { subjectId: teacherId, recordId: 'penalty-1', reason: '复议撤销', revokedOn: '2025-05-01' },
        },
      ])
        .reviewedFor('promotion')
        .thenClear();
    });
  });

  describe('when a jurisdiction replaces the table', () => {
    it('applies its own rules only', () => {
      const local: CreditPolicy = {
        ...defaultPolicy,
        jurisdiction: '350000',
        reviewRules: defaultPolicy.reviewRules.filter((rule) => rule.rule !== 'BLACK_LIST_PROMOTION_LIMITED'),
      };
      given([researcherRegistered, seriousPenalty('researcher-1', researcher)], '2025-06-01', local)
        .reviewedFor('promotion')
        .thenClear();
    });
  });
});

describe('the default purpose → measure table', () => {
  it('names only known purposes, each rule code once', () => {
    const codes = defaultPolicy.reviewRules.map((rule) => rule.rule);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of defaultPolicy.reviewRules)
      for (const purpose of rule.purposes) expect(creditUsePurposes).toContain(purpose);
  });
});
