// Shared cast and builders for the subject specs: a private school and a teacher in Xiamen,
// a minor student, and the facts most specs start from.
import { addMonths } from '../../calendar/iso-date';
import { chinaWorkingCalendar } from '../../calendar/china-working-calendar';
import { addWorkingDays } from '../../calendar/working-calendar';
import type { Actor, CommandMetadata } from '../../command-metadata';
import { defaultPolicy } from '../../policy/default-policy';
import { specificationFor } from '../../testing/given-when-then';
import type { PenaltyDetails, SeverityTier } from '../penalty';
import type { RecordPenalty } from '../subject.commands';
import { subjectDecider } from '../subject.decider';
import type { CreditGrade, CreditList, MeasureCode } from '../../policy/credit-policy';
import type {
  CommitmentSigned,
  CreditGradeChanged,
  ListMembershipChanged,
  ListReason,
  HonourRecorded,
  PenaltyRecorded,
  PublicityExtendedToMaximum,
  RectificationNoticeIssued,
  SubjectRegistered,
} from '../subject.events';
import type { SubjectSummary } from '../subject-kind';

export const given = specificationFor(subjectDecider);

export const xiamenOfficial: Actor = {
  userId: 'official-7',
  role: 'credit_officer',
  department: 'Xiamen Municipal Education Bureau',
  jurisdiction: '350200',
};
export const scheduler: Actor = {
  userId: 'scheduler',
  role: 'system',
  department: 'ledger',
  jurisdiction: '000000',
};

export const metadata = (now: string, overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now,
  actor: xiamenOfficial,
  policy: defaultPolicy,
  calendar: chinaWorkingCalendar,
  ...overrides,
});

/** Beijing 10:00 on the given day. */
export const on = (date: string, overrides: Partial<CommandMetadata> = {}): CommandMetadata =>
  metadata(`${date}T02:00:00Z`, overrides);

export const bureau = { name: '厦门市教育局', uscc: '11350200MB0123456A' };

export const schoolId = 'school-1';
export const school: SubjectSummary = {
  kind: 'private_school',
  name: '厦门阳光实验学校',
  jurisdiction: '350203',
};
export const schoolRegistered: SubjectRegistered = {
  type: 'SubjectRegistered',
  data: {
    subjectId: schoolId,
    ...school,
    identifier: { scheme: 'uscc', value: '91350200776049653A', checksum: 'valid' },
    registeredOn: '2025-01-06',
  },
};
export const teacherId = 'teacher-1';
export const teacher: SubjectSummary = { kind: 'teacher', name: '王老师', jurisdiction: '350203' };
export const teacherRegistered: SubjectRegistered = {
  type: 'SubjectRegistered',
  data: {
    subjectId: teacherId,
    ...teacher,
    identifier: { scheme: 'resident_id', value: '350203198506151233' },
    birthDate: '1985-06-15',
    registeredOn: '2025-01-06',
  },
};

export const studentId = 'student-1';
export const student: SubjectSummary = { kind: 'student', name: '李同学', jurisdiction: '350203' };
export const studentRegistered: SubjectRegistered = {
  type: 'SubjectRegistered',
  data: {
    subjectId: studentId,
    ...student,
    identifier: { scheme: 'resident_id', value: '350203201005014569' },
    birthDate: '2010-05-01',
    registeredOn: '2025-01-06',
  },
};

export const penaltyDetails = (overrides: Partial<PenaltyDetails> = {}): PenaltyDetails => ({
  documentNumber: '厦教罚〔2025〕3号',
  offenceType: 'Operating beyond the approved scope',
  facts: 'Ran discipline tutoring for primary pupils without approval',
  legalBasis: 'Private Education Promotion Law Art. 62',
  categories: ['fine'],
  misconduct: 'administrative_violation',
  content: 'Fine of 20,000 yuan',
  fineAmountTenThousandYuan: 2,
  decisionDate: '2025-03-03',
  authority: bureau,
  dataSource: bureau,
  ...overrides,
});

const periods: Record<SeverityTier, [number, number]> = {
  minor: [3, 3],
  general: [3, 12],
  serious: [12, 36],
};

/** A penalty as decide records it, with the default policy's periods computed from the decision date. */
export const penaltyRecorded = (
  options: {
    subjectId?: string;
    subject?: SubjectSummary;
    recordId?: string;
    severity?: SeverityTier;
    penalty?: Partial<PenaltyDetails>;
    disclosure?: 'public' | 'restricted';
    reportedOn?: string;
  } = {},
): PenaltyRecorded => {
  const penalty = penaltyDetails(options.penalty);
  const severity = options.severity ?? 'general';
  const [minimum, maximum] = periods[severity];
  return {
    type: 'PenaltyRecorded',
    data: {
      subjectId: options.subjectId ?? schoolId,
      subject: options.subject ?? school,
      recordId: options.recordId ?? 'penalty-1',
      penalty,
      declaredSeverity: severity,
      severity,
      publicity: {
        disclosure: options.disclosure ?? 'public',
        startsOn: penalty.decisionDate,
        minimumPeriodEndsOn: addMonths(penalty.decisionDate, minimum),
        maximumPeriodEndsOn: addMonths(penalty.decisionDate, maximum),
      },
      expiresOn: addMonths(penalty.decisionDate, 60),
      reporting: {
        reportedOn: options.reportedOn ?? '2025-03-05',
        deadline: addWorkingDays(chinaWorkingCalendar, penalty.decisionDate, 7),
        late: false,
      },
    },
  };
};

export const honourRecorded = (
  recordId = 'honour-1',
  subjectId = schoolId,
  subject = school,
): HonourRecorded => ({
  type: 'HonourRecorded',
  data: {
    subjectId,
    subject,
    recordId,
    honour: {
      title: '厦门市文明校园',
      category: 'advanced_collective',
      awardingBody: bureau,
      awardedOn: '2025-02-10',
    },
    expiresOn: '2030-02-10',
  },
});

export const commitmentSigned = (
  overrides: Partial<CommitmentSigned['data']['commitment']> = {},
  recordId = 'commitment-1',
): CommitmentSigned => ({
  type: 'CommitmentSigned',
  data: {
    subjectId: schoolId,
    subject: school,
    recordId,
    commitment: {
      code: '35020320250310000017',
      type: 'in_place_of_certificate',
      reason: 'Application to run a new campus',
      content: 'Fire safety certificate will be provided within 60 days',
      liabilityOnBreach: 'Approval withdrawn; recorded as dishonest',
      madeOn: '2025-03-10',
      validUntil: '2025-05-09',
      acceptingUnit: bureau,
      disclosure: 'public',
      ...overrides,
    },
  },
});

export const rectificationNoticeIssued = (recordId = 'rectification-1'): RectificationNoticeIssued => ({
  type: 'RectificationNoticeIssued',
  data: {
    subjectId: schoolId,
    subject: school,
    recordId,
    notice: {
      noticeNumber: '厦教整〔2025〕12号',
      finding: 'Fees collected for more than three months in advance',
      requirements: 'Refund the excess and publish the fee schedule',
      issuedOn: '2025-04-01',
      deadline: '2025-04-30',
      issuingAuthority: bureau,
    },
  },
});

export const listChanged = (
  list: CreditList,
  change: 'entered' | 'left',
  changedOn: string,
  rest: {
    reasons?: ListReason[];
    measures?: MeasureCode[];
    subjectId?: string;
    subject?: SubjectSummary;
  } = {},
): ListMembershipChanged => ({
  type: 'ListMembershipChanged',
  data: {
    subjectId: rest.subjectId ?? schoolId,
    subject: rest.subject ?? school,
    list,
    change,
    reasons: rest.reasons ?? [],
    measures: rest.measures ?? [],
    disclosure: 'public',
    changedOn,
  },
});

/** The command that records `penaltyDetails()` for the school, two days after the decision. */
export const recordPenalty = (
  data: Partial<RecordPenalty['data']> = {},
  meta: CommandMetadata = on('2025-03-05'),
): RecordPenalty => {
  const { misconduct, dataSource: _dataSource, ...details } = penaltyDetails();
  return {
    type: 'RecordPenalty',
    data: {
      subjectId: schoolId,
      recordId: 'penalty-1',
      ...details,
      misconduct,
      severity: 'general',
      ...data,
    },
    metadata: meta,
  };
};

/** Key supervision measures for a private school under the default policy. */
export const keySupervisionMeasures: MeasureCode[] = [
  'more_frequent_inspection',
  'no_project_funding',
  'no_honours_or_commendation',
  'evaluation_grade_lowered',
];

export const gradeChanged = (
  previousGrade: CreditGrade | null,
  grade: CreditGrade,
  changedOn: string,
  rest: { subjectId?: string; subject?: SubjectSummary } = {},
): CreditGradeChanged => ({
  type: 'CreditGradeChanged',
  data: {
    subjectId: rest.subjectId ?? schoolId,
    subject: rest.subject ?? school,
    previousGrade,
    grade,
    supervision: defaultPolicy.grading.supervisionByGrade[grade],
    changedOn,
  },
});

/** The default penalty published again to its maximum after a breached repair commitment. */
export const publicityExtendedToMaximum = (
  breachedCommitmentId = 'commitment-1',
): PublicityExtendedToMaximum => {
  const { data } = penaltyRecorded();
  return {
    type: 'PublicityExtendedToMaximum',
    data: {
      subjectId: data.subjectId,
      subject: data.subject,
      recordId: data.recordId,
      breachedCommitmentId,
      until: data.publicity.maximumPeriodEndsOn,
      penalty: data.penalty,
      severity: data.severity,
      publicity: data.publicity,
    },
  };
};
