// National defaults from REFERENCE.md. Confirmed numbers are cited; the grade rules and sampling rates
// are unconfirmed starting points that a jurisdiction is expected to replace.
import { NATIONAL_DIVISION } from '../identifiers/division-code';
import type { CreditPolicy } from './credit-policy';

export const defaultPolicy: CreditPolicy = {
  version: '2025-01',
  jurisdiction: NATIONAL_DIVISION,
  penalties: {
    // NDRC 2025 draft / SAMR Order 107; overall 3 months to 3 years per NDRC Order 58.
    publicityBySeverity: {
      minor: { minimumMonths: 3, maximumMonths: 3 },
      general: { minimumMonths: 3, maximumMonths: 12 },
      serious: { minimumMonths: 12, maximumMonths: 36 },
    },
    minimumSeverityByCategory: {
      licence_revoked: 'serious',
      ordered_to_close: 'serious',
      teacher_qualification_revoked: 'serious',
      teacher_qualification_lost: 'serious',
      degree_revoked: 'serious',
    },
    unpublishedWhenOnly: ['warning'],
    // Seed 000 §三(四), seed 001 annex 1.
    reportingDeadlineWorkingDays: 7,
  },
  neverPublishedSubjectKinds: ['student'],
  // Seed 001 annex 1: 有效期限 五年.
  recordValidityMonths: 60,
  // Shandong rules: 3 working days, 7 when another unit must verify.
  objections: { decisionWorkingDays: 3, decisionWorkingDaysWithExternalVerification: 7 },
  // Neither limit is in the seeds: both follow the catalogue's five-year validity (unconfirmed defaults).
  commitments: { dishonestOutcomes: ['not_kept'], madeAtMostMonthsAgo: 60, maximumValidityMonths: 60 },
  repair: {
    unrepairable: [
      {
        reason: 'TEACHERS_LAW_ART_14',
        description:
          'A teacher qualification lost through deprivation of political rights or a sentence for an intentional crime can never be regained (Teachers Law Art. 14).',
        misconductCategories: ['intentional_crime', 'deprivation_of_political_rights'],
      },
    ],
    breachedRepairCommitmentRestoresMaximumPublicity: true,
  },
  lists: {
    red: { minimumActiveHonours: 1, allowedActiveDishonestRecords: 0, allowedOverdueRectifications: 0 },
    black: {
      severities: ['serious'],
      misconductCategories: [
        'academic_misconduct',
        'qualification_fraud',
        'exam_cheating',
        'diploma_fraud',
        'false_registration',
        'intentional_crime',
        'deprivation_of_political_rights',
      ],
      commitmentNotKept: true,
    },
    keySupervision: {
      subjectKinds: ['private_school', 'training_institution', 'tutoring_institution'],
      overdueRectification: true,
      activePenalty: true,
    },
  },
  grading: {
    rules: [
      { grade: 'D', whenAny: [{ onList: 'black' }] },
      {
        grade: 'C',
        whenAny: [
          { onList: 'key_supervision' },
          { activeDishonestRecordsAtLeast: 1 },
          { overdueRectificationsAtLeast: 1 },
        ],
      },
      { grade: 'A', whenAny: [{ onList: 'red' }] },
    ],
    otherwise: 'B',
    supervisionByGrade: {
      A: { level: 'reduced', randomInspectionSamplingPercent: 5 },
      B: { level: 'routine', randomInspectionSamplingPercent: 10 },
      C: { level: 'enhanced', randomInspectionSamplingPercent: 30 },
      D: { level: 'key', randomInspectionSamplingPercent: 100 },
    },
  },
  // Seeds 000, 002 §2, 003 §二(四).
  measuresByList: {
    red: [
      {
        code: 'priority_for_honours_and_funding',
        description: 'Priority in honours, commendation and project funding',
      },
      {
        code: 'simplified_procedures',
        description: 'Simplified procedures and accepted-with-missing-documents handling',
      },
      { code: 'fewer_inspections', description: 'Fewer random inspections' },
    ],
    black: [
      { code: 'no_honours_or_commendation', description: 'No honours or commendation (评优评先)' },
      { code: 'no_project_funding', description: 'No project funding' },
      {
        code: 'title_evaluation_and_promotion_limited',
        description: 'Limits on professional title evaluation and promotion (职称评聘、职务晋升)',
        subjectKinds: ['teacher', 'researcher', 'staff'],
      },
      {
        code: 'research_funding_limited',
        description: 'Limits on research funding',
        subjectKinds: ['teacher', 'researcher', 'research_institution'],
      },
      {
        code: 'degree_award_limited',
        description: 'Limits on the award of degrees',
        subjectKinds: ['student'],
      },
      {
        code: 'teacher_ethics_veto',
        description: 'One-vote veto in the teacher ethics review (师德一票否决)',
        subjectKinds: ['teacher'],
      },
      { code: 'more_frequent_inspection', description: 'More frequent inspections' },
    ],
    key_supervision: [
      { code: 'more_frequent_inspection', description: 'Key monitoring with more frequent inspections' },
      { code: 'no_project_funding', description: 'No project funding' },
      { code: 'no_honours_or_commendation', description: 'No honours or commendation' },
      { code: 'evaluation_grade_lowered', description: 'Evaluation grade lowered' },
    ],
  },
};
