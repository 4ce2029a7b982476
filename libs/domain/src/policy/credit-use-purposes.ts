// Why credit is consulted (信用信息应用场景, seed 004 §3): the codes a credit report or a credit review is
// asked for. One list for both instruments; which measures a purpose applies is policy data beside it.
export const creditUsePurposes = [
  'admission', // 考试招生
  'student_record', // 学籍管理
  'degree', // 学历学位授予
  'research_project', // 科研项目立项
  'hiring', // 岗位聘用
  'promotion', // 职称评聘、职务晋升
  'award', // 评选表彰、评优评先
  'funding', // 财政资金、项目资助
  'licensing', // 行政许可、资质审批
] as const;

export type CreditUsePurpose = (typeof creditUsePurposes)[number];

export const isCreditUsePurpose = (value: unknown): value is CreditUsePurpose =>
  typeof value === 'string' && (creditUsePurposes as readonly string[]).includes(value);

/** Chinese names as officials write them, for reports and the console. */
export const creditUsePurposeNames: Readonly<Record<CreditUsePurpose, string>> = {
  admission: '考试招生',
  student_record: '学籍管理',
  degree: '学历学位授予',
  research_project: '科研项目立项',
  hiring: '岗位聘用',
  promotion: '职称评聘与职务晋升',
  award: '评选表彰',
  funding: '财政资金与项目资助',
  licensing: '行政许可与资质审批',
};
