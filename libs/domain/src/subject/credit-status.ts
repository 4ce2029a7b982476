// A subject's standing, derived from its records and the policy: lists, grade, supervision, measures.
// decide uses it to announce changes as events; read models use it to show the same answer.
import type { IsoDate } from '../calendar/iso-date';
import { assertNever } from '../decider';
import { isMinorOn } from '../identifiers/resident-id';
import type {
  CreditGrade,
  CreditList,
  CreditPolicy,
  GradeCondition,
  Measure,
  SupervisionTerms,
} from '../policy/credit-policy';
import { isBreachInForce, type CreditRecord } from './credit-record';
import type { ListReason } from './subject.events';
import type { RegisteredSubject } from './subject.state';
import type { SubjectSummary } from './subject-kind';

export interface ListStanding {
  readonly onList: boolean;
  readonly reasons: readonly ListReason[];
}

export interface CreditStatus {
  readonly subjectId: string;
  readonly subject: SubjectSummary;
  readonly asOf: IsoDate;
  readonly policyVersion: string;
  readonly isMinor: boolean;
  /** Minors' and protected kinds' list entries are never published. */
  readonly disclosure: 'public' | 'restricted';
  readonly grade: CreditGrade;
  readonly supervision: SupervisionTerms;
  readonly lists: Readonly<Record<CreditList, ListStanding>>;
  /** Joint reward and punishment measures that apply through the lists the subject is on. */
  readonly measures: readonly Measure[];
  readonly activePenalties: readonly string[];
  readonly activeHonours: readonly string[];
  readonly commitmentsInForce: readonly string[];
  readonly breachedCommitments: readonly string[];
  readonly openRectifications: readonly string[];
  readonly overdueRectifications: readonly string[];
  readonly disputedRecords: readonly string[];
  readonly pendingRepairs: readonly string[];
}

const idsOf = (records: readonly CreditRecord[], keep: (record: CreditRecord) => boolean): string[] =>
  records.filter(keep).map((record) => record.recordId);

const standing = (reasons: readonly ListReason[], onList = reasons.length > 0): ListStanding => ({
  onList,
  reasons: onList ? reasons : [],
});

/**
 * Time only decides whether the subject is a minor. Everything that changes with time (publicity ending,
 * deadlines passing, validity running out) changes through scheduler commands and their events, so a
 * read model folding the same events gets the same lists as decide did.
 */
export const deriveCreditStatus = (
  state: RegisteredSubject,
  policy: CreditPolicy,
  asOf: IsoDate,
): CreditStatus => {
  const { records } = state;
  const penalties = records.flatMap((record) =>
    record.kind === 'penalty' && record.status === 'active' ? [record] : [],
  );
  const breaches = records.flatMap((record) =>
    record.kind === 'commitment' && isBreachInForce(record) ? [record] : [],
  );
  const activeHonours = idsOf(records, (record) => record.kind === 'honour' && record.status === 'active');
  const overdueRectifications = idsOf(
    records,
    (record) => record.kind === 'rectification' && record.status === 'overdue',
  );
  const activeDishonestRecords = penalties.length + breaches.length;
  const isMinor = state.birthDate !== null && isMinorOn(state.birthDate, asOf);

  const { black, keySupervision, red } = policy.lists;
  const blackReasons: ListReason[] = [
    ...penalties.flatMap((penalty): ListReason[] => [
      ...(black.severities.includes(penalty.severity)
        ? [{ code: 'serious_penalty' as const, recordId: penalty.recordId }]
        : []),
      ...(black.misconductCategories.includes(penalty.penalty.misconduct)
        ? [{ code: 'serious_misconduct' as const, recordId: penalty.recordId }]
        : []),
    ]),
    ...(black.commitmentNotKept
      ? breaches.map((breach) => ({ code: 'commitment_not_kept' as const, recordId: breach.recordId }))
      : []),
  ];
  const keySupervisionReasons: ListReason[] = keySupervision.subjectKinds.includes(state.summary.kind)
    ? [
        ...(keySupervision.overdueRectification
          ? overdueRectifications.map((recordId) => ({ code: 'overdue_rectification' as const, recordId }))
          : []),
        ...(keySupervision.activePenalty
          ? penalties.map((penalty) => ({ code: 'active_penalty' as const, recordId: penalty.recordId }))
          : []),
      ]
    : [];
  const redQualifies =
    activeHonours.length >= red.minimumActiveHonours &&
    activeDishonestRecords <= red.allowedActiveDishonestRecords &&
    overdueRectifications.length <= red.allowedOverdueRectifications;
  const lists: Record<CreditList, ListStanding> = {
    red: standing(
      activeHonours.map((recordId) => ({ code: 'active_honour' as const, recordId })),
      redQualifies,
    ),
    black: standing(blackReasons),
    key_supervision: standing(keySupervisionReasons),
  };

  const holds = (condition: GradeCondition): boolean => {
    if ('onList' in condition) return lists[condition.onList].onList;
    if ('activeDishonestRecordsAtLeast' in condition)
      return activeDishonestRecords >= condition.activeDishonestRecordsAtLeast;
    if ('overdueRectificationsAtLeast' in condition)
      return overdueRectifications.length >= condition.overdueRectificationsAtLeast;
    return assertNever(condition);
  };
  const grade =
    policy.grading.rules.find((rule) => rule.whenAny.some(holds))?.grade ?? policy.grading.otherwise;

  return {
    subjectId: state.subjectId,
    subject: state.summary,
    asOf,
    policyVersion: policy.version,
    isMinor,
    disclosure:
      isMinor || policy.neverPublishedSubjectKinds.includes(state.summary.kind) ? 'restricted' : 'public',
    grade,
    supervision: policy.grading.supervisionByGrade[grade],
    lists,
    measures: measuresFor(state.summary, lists, policy),
    activePenalties: penalties.map((penalty) => penalty.recordId),
    activeHonours,
    commitmentsInForce: idsOf(
      records,
      (record) => record.kind === 'commitment' && (record.status === 'in_force' || record.status === 'due'),
    ),
    breachedCommitments: breaches.map((breach) => breach.recordId),
    openRectifications: idsOf(
      records,
      (record) => record.kind === 'rectification' && record.status === 'open',
    ),
    overdueRectifications,
    disputedRecords: idsOf(records, (record) => record.disputedBy !== null),
    pendingRepairs: idsOf(
      records,
      (record) => record.kind === 'penalty' && record.status !== 'revoked' && record.pendingRepair !== null,
    ),
  };
};

/** Measures of one list that apply to this kind of subject. */
export const measuresOfList = (
  list: CreditList,
  subject: SubjectSummary,
  policy: CreditPolicy,
): readonly Measure[] =>
  policy.measuresByList[list].filter(
    (measure) => measure.subjectKinds === undefined || measure.subjectKinds.includes(subject.kind),
  );

const measuresFor = (
  subject: SubjectSummary,
  lists: Readonly<Record<CreditList, ListStanding>>,
  policy: CreditPolicy,
): Measure[] => {
  const byCode = new Map<string, Measure>();
  for (const list of ['black', 'key_supervision', 'red'] as const) {
    if (!lists[list].onList) continue;
    for (const measure of measuresOfList(list, subject, policy)) {
      if (!byCode.has(measure.code)) byCode.set(measure.code, measure);
    }
  }
  return [...byCode.values()];
};
