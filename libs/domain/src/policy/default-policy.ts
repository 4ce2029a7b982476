// National defaults from REFERENCE.md. Confirmed numbers are cited; the grade rules and sampling rates
// are unconfirmed starting points that a jurisdiction is expected to replace.
import { NATIONAL_DIVISION } from '../identifiers/division-code';
import type { CreditPolicy, Measure, ReviewRule } from './credit-policy';

// The measures a credit review names (seeds 000, 002 §2, 003 §二(四), 004 §3).
const measure = {
  noHonours: { code: 'no_honours_or_commendation', description: 'No honours or commendation (评优评先)' },
  noFunding: { code: 'no_project_funding', description: 'No project funding (财政资金、项目资助)' },
  promotionLimited: {
    code: 'title_evaluation_and_promotion_limited',
    description: 'Limits on professional title evaluation and promotion (职称评聘、职务晋升)',
  },
  researchFundingLimited: {
    code: 'research_funding_limited',
    description: 'Limits on research funding (科研项目立项)',
  },
  degreeLimited: { code: 'degree_award_limited', description: 'Limits on the award of degrees (学位授予)' },
  ethicsVeto: {
    code: 'teacher_ethics_veto',
    description: 'One-vote veto in the teacher ethics review (师德一票否决)',
  },
  admissionLimited: {
    code: 'admission_limited',
    description: 'Limits on admission and examination enrolment (考试招生)',
  },
  licensingRestricted: {
    code: 'licence_approval_restricted',
    description:
      'Strict review of licences and qualifications; no accepted-with-missing-documents handling (行政许可从严审查)',
  },
} as const satisfies Record<string, Measure>;

const TEACHER_ETHICS_BASIS =
  '教育部《关于建立健全高校师德建设长效机制的意见》《中小学教师违反职业道德行为处理办法》：师德失范者在教师资格认定、招聘、职称评审、评优奖励中实行一票否决';
const JOINT_DISCIPLINE_BASIS =
  '《关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）；教育领域信用管理办法（seed 002 §2）';

/** The purpose → measure table of the national default: each line a rule a review names when it restricts. */
const reviewRules: readonly ReviewRule[] = [
  {
    rule: 'TEACHER_ETHICS_VETO_BLACK_LIST',
    purposes: ['promotion', 'hiring', 'award'],
    when: { onList: 'black' },
    subjectKinds: ['teacher'],
    measure: measure.ethicsVeto,
    basis: TEACHER_ETHICS_BASIS,
  },
  {
    rule: 'TEACHER_ETHICS_VETO_ETHICS_PENALTY',
    purposes: ['promotion', 'hiring', 'award'],
    when: { records: 'active_penalty', misconductCategories: ['teacher_ethics_violation'] },
    subjectKinds: ['teacher'],
    measure: measure.ethicsVeto,
    basis: TEACHER_ETHICS_BASIS,
  },
  {
    rule: 'BLACK_LIST_PROMOTION_LIMITED',
    purposes: ['promotion'],
    when: { onList: 'black' },
    subjectKinds: ['teacher', 'researcher', 'staff'],
    measure: measure.promotionLimited,
    basis: JOINT_DISCIPLINE_BASIS,
  },
  {
    rule: 'BLACK_LIST_NO_FUNDING',
    purposes: ['funding', 'research_project'],
    when: { onList: 'black' },
    measure: measure.noFunding,
    basis: JOINT_DISCIPLINE_BASIS,
  },
  {
    rule: 'KEY_SUPERVISION_NO_FUNDING',
    purposes: ['funding'],
    when: { onList: 'key_supervision' },
    measure: measure.noFunding,
    basis: '民办教育、校外培训机构重点监管名单管理（seed 002 §2）',
  },
  {
    rule: 'OVERDUE_RECTIFICATION_NO_FUNDING',
    purposes: ['funding'],
    when: { records: 'overdue_rectification' },
    measure: measure.noFunding,
    basis: '逾期未整改的，不予安排财政资金支持（seed 003 §二(四)）',
  },
  {
    rule: 'BLACK_LIST_RESEARCH_FUNDING_LIMITED',
    purposes: ['research_project'],
    when: { onList: 'black' },
    subjectKinds: ['teacher', 'researcher', 'research_institution'],
    measure: measure.researchFundingLimited,
    basis: '《科研失信行为调查处理规则》：严重失信行为记录期内不得申报科研项目',
  },
  {
    rule: 'BLACK_LIST_NO_HONOURS',
    purposes: ['award'],
    when: { onList: 'black' },
    measure: measure.noHonours,
    basis: JOINT_DISCIPLINE_BASIS,
  },
  {
    rule: 'KEY_SUPERVISION_NO_HONOURS',
    purposes: ['award'],
    when: { onList: 'key_supervision' },
    measure: measure.noHonours,
    basis: '民办教育、校外培训机构重点监管名单管理（seed 002 §2）',
  },
  {
    rule: 'DISHONEST_RECORD_NO_HONOURS',
    purposes: ['award'],
    when: { records: 'active_penalty' },
    measure: measure.noHonours,
    basis: '失信信息公示期内不得参加评优评先（seed 004 §3）',
  },
  {
    rule: 'BROKEN_COMMITMENT_NO_HONOURS',
    purposes: ['award'],
    when: { records: 'breached_commitment' },
    measure: measure.noHonours,
    basis: '违背信用承诺的，记入失信信息，不得参加评优评先（seed 002 §2）',
  },
  {
    rule: 'BLACK_LIST_DEGREE_LIMITED',
    purposes: ['degree'],
    when: { onList: 'black' },
    subjectKinds: ['student'],
    measure: measure.degreeLimited,
    basis: '《学位授予和人才培养学科目录》《中华人民共和国学位法》：学术不端、学历造假者不授予或撤销学位',
  },
  {
    rule: 'EXAM_MISCONDUCT_ADMISSION_LIMITED',
    purposes: ['admission'],
    when: {
      records: 'active_penalty',
      misconductCategories: ['exam_cheating', 'qualification_fraud', 'false_registration'],
    },
    measure: measure.admissionLimited,
    basis: '《国家教育考试违规处理办法》：考试作弊、冒名顶替、虚假报名者在规定期限内不得报名参加考试或被录取',
  },
  {
    rule: 'BLACK_LIST_LICENSING_RESTRICTED',
    purposes: ['licensing'],
    when: { onList: 'black' },
    measure: measure.licensingRestricted,
    basis: JOINT_DISCIPLINE_BASIS,
  },
  {
    rule: 'KEY_SUPERVISION_LICENSING_RESTRICTED',
    purposes: ['licensing'],
    when: { onList: 'key_supervision' },
    measure: measure.licensingRestricted,
    basis: '民办教育、校外培训机构重点监管名单管理（seed 002 §2）',
  },
];

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
  commitments: { dishonestOutcomes: ['not_kept'] },
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
  reviewRules,
};
