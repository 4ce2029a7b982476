// The Chinese words the printed report uses for the codes of the JSON report. A code this table does not
// know (a newer report format) is printed as it is rather than hidden.
import type {
  CreditGrade,
  CreditRecordKind,
  MeasureCode,
  ReportObjection,
  ReportRecord,
  ReportRepair,
  ReportTeacherConfirmation,
  SeverityTier,
  SubjectKind,
  SupervisionLevel,
} from '@ledger/domain';

const lookup =
  <K extends string>(table: Readonly<Record<K, string>>) =>
  (code: K | string | null | undefined, fallback = '—'): string =>
    code == null ? fallback : ((table as Record<string, string>)[code] ?? code);

export const subjectKindName = lookup<SubjectKind>({
  school: '学校',
  private_school: '民办学校',
  training_institution: '培训机构',
  tutoring_institution: '校外培训机构',
  education_service_organisation: '教育服务机构',
  research_institution: '科研机构',
  administrative_body: '行政机关',
  teacher: '教师',
  researcher: '科研人员',
  staff: '教职工',
  student: '学生',
});

export const personTypeName = lookup<'natural_person' | 'legal_person'>({
  natural_person: '自然人',
  legal_person: '法人及非法人组织',
});

export const identifierLabel = lookup<'uscc' | 'resident_id'>({
  uscc: '统一社会信用代码',
  resident_id: '身份证号（脱敏）',
});

export const gradeName = lookup<CreditGrade>({
  A: 'A 级（诚信）',
  B: 'B 级（基本诚信）',
  C: 'C 级（失信）',
  D: 'D 级（严重失信）',
});

export const supervisionName = lookup<SupervisionLevel>({
  reduced: '简化监管',
  routine: '常规监管',
  enhanced: '重点关注',
  key: '重点监管',
});

export const recordKindName = lookup<CreditRecordKind>({
  penalty: '行政处罚',
  honour: '表彰奖励',
  commitment: '信用承诺',
  rectification: '责令整改',
});

export const natureName = lookup<ReportRecord['nature']>({
  dishonest: '失信信息',
  trustworthy: '守信信息',
  neutral: '一般信息',
});

export const severityName = lookup<SeverityTier>({ minor: '轻微', general: '一般', serious: '严重' });

/** Statuses of every record kind (credit-record.ts); the codes do not overlap in meaning across kinds. */
export const recordStatusName = lookup<string>({
  active: '有效',
  publicity_ended: '公示期满',
  repaired: '已修复',
  expired: '已过期',
  in_force: '履行中',
  due: '已到期待评估',
  assessed: '已评估',
  open: '整改中',
  overdue: '逾期未整改',
  completed: '已整改',
  revoked: '已撤销',
});

export const disclosureName = lookup<'public' | 'restricted'>({ public: '公开', restricted: '限制公开' });

export const repairStatusName = lookup<ReportRepair['status']>({
  pending: '审核中',
  approved: '已通过',
  rejected: '未通过',
});

export const objectionStatusName = lookup<ReportObjection['status']>({ open: '处理中', resolved: '已办结' });

export const objectionOutcomeName = lookup<NonNullable<ReportObjection['outcome']>>({
  upheld: '维持原记录',
  corrected: '予以更正',
  revoked: '撤销记录',
});

export const confirmationStatusName = lookup<ReportTeacherConfirmation['status']>({
  not_requested: '尚未请求教师确认',
  requested: '已请求，待教师确认',
  confirmed: '教师本人已确认',
  contested: '教师本人有异议（已转入异议处理）',
});

export const measureName = lookup<MeasureCode>({
  no_honours_or_commendation: '限制评优评先、表彰奖励',
  no_project_funding: '限制申报项目资助',
  admission_limited: '限制考试招生资格',
  licence_approval_restricted: '从严审批行政许可与资质',
  title_evaluation_and_promotion_limited: '限制职称评聘、职务晋升',
  research_funding_limited: '限制科研经费申请',
  degree_award_limited: '限制学位授予',
  teacher_ethics_veto: '师德考核一票否决',
  more_frequent_inspection: '提高抽查频次',
  evaluation_grade_lowered: '降低评估等级',
  priority_for_honours_and_funding: '评优评先、项目资助优先',
  simplified_procedures: '简化办理程序、容缺受理',
  fewer_inspections: '降低抽查频次',
});

export const yesNo = (value: boolean): string => (value ? '是' : '否');
