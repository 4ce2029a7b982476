// Which department applies which measure (联合奖惩 across departments). Configuration, not policy:
// each deployment names its own departments; these defaults follow the seeds' measure list.
import type { AddressedDepartment, MeasureCode } from '@ledger/domain';

export type DepartmentDirectory = Readonly<Record<MeasureCode, AddressedDepartment>>;

const personnel = { departmentId: 'education-personnel', name: '教育行政部门人事处（评优评先、职称评聘）' };
const finance = { departmentId: 'finance', name: '财政部门（项目资金）' };
const science = { departmentId: 'science-technology', name: '科技部门（科研经费）' };
const degrees = { departmentId: 'degree-committee', name: '学位委员会办公室（学位授予）' };
const ethics = { departmentId: 'teacher-ethics', name: '教师工作部门（师德考核）' };
const supervision = { departmentId: 'education-supervision', name: '教育督导部门（检查与评估）' };
const services = { departmentId: 'government-services', name: '政务服务部门（办事便利）' };
const admissions = { departmentId: 'education-examinations', name: '教育考试院（考试招生）' };
const licensing = { departmentId: 'administrative-licensing', name: '行政审批部门（许可与资质）' };

export const defaultDepartmentDirectory: DepartmentDirectory = {
  no_honours_or_commendation: personnel,
  title_evaluation_and_promotion_limited: personnel,
  priority_for_honours_and_funding: personnel,
  no_project_funding: finance,
  research_funding_limited: science,
  degree_award_limited: degrees,
  teacher_ethics_veto: ethics,
  more_frequent_inspection: supervision,
  evaluation_grade_lowered: supervision,
  fewer_inspections: supervision,
  simplified_procedures: services,
  admission_limited: admissions,
  licence_approval_restricted: licensing,
};

/** The departments a case is addressed to: each department once, in the order of the measures. */
export function departmentsFor(
  measures: readonly MeasureCode[],
  directory: DepartmentDirectory,
): AddressedDepartment[] {
  const byId = new Map<string, AddressedDepartment>();
  for (const measure of measures) {
    const department = directory[measure];
    if (department && !byId.has(department.departmentId)) byId.set(department.departmentId, department);
  }
  return [...byId.values()];
}
