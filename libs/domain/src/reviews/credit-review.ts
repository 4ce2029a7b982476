// A credit review (信用审查): may this subject be admitted, promoted, hired, honoured or funded? The answer is
// the policy's purpose → measure table applied to the subject's standing; pure, so a review can be re-run.
import type { IsoDate } from '../calendar/iso-date';
import { assertNever } from '../decider';
import type { CreditList, CreditPolicy, Measure, ReviewCondition, ReviewRule } from '../policy/credit-policy';
import type { CreditUsePurpose } from '../policy/credit-use-purposes';
import type { CreditStatus } from '../subject/credit-status';
import type { CreditRecord, CreditRecordKind } from '../subject/credit-record';
import type { ListReason } from '../subject/subject.events';

/** A list the subject is on, with the reasons (and the records behind them) the list gives. */
export interface ReviewedListMembership {
  readonly list: CreditList;
  readonly reasons: readonly ListReason[];
}

/** A record a restriction rests on, as much of it as a reviewing official needs to cite it. */
export interface ReviewedRecord {
  readonly recordId: string;
  readonly kind: CreditRecordKind;
  readonly status: string;
  /** The decision's or notice's number, where the record has one. */
  readonly documentNumber?: string;
  /** An objection against the record is open: the restriction stands until it is decided. */
  readonly disputed: boolean;
}

export interface ReviewRestriction {
  readonly rule: string;
  readonly measure: Measure;
  readonly basis: string;
  readonly listMemberships: readonly ReviewedListMembership[];
  readonly records: readonly ReviewedRecord[];
}

export type ReviewOutcome = 'clear' | 'restricted';

export interface CreditReview {
  readonly subjectId: string;
  readonly purpose: CreditUsePurpose;
  readonly outcome: ReviewOutcome;
  readonly restrictions: readonly ReviewRestriction[];
  /** The standing reviewed: grade and the lists the subject is on. */
  readonly grade: CreditStatus['grade'];
  readonly lists: readonly CreditList[];
  /** The credit policy whose rules decided, and the Beijing date the standing is of. */
  readonly policyVersion: string;
  readonly asOf: IsoDate;
}

export interface ReviewSubject {
  readonly status: CreditStatus;
  /** The subject's records, to name the ones behind a restriction; revoked ones never count. */
  readonly records: readonly CreditRecord[];
}

const documentNumberOf = (record: CreditRecord): string | undefined => {
  if (record.status === 'revoked') return undefined;
  switch (record.kind) {
    case 'penalty':
      return record.penalty.documentNumber;
    case 'honour':
      return record.honour.documentNumber;
    case 'commitment':
      return record.commitment.code;
    case 'rectification':
      return record.notice.noticeNumber;
    default:
      return assertNever(record);
  }
};

const describe = (record: CreditRecord): ReviewedRecord => {
  const documentNumber = documentNumberOf(record);
  return {
    recordId: record.recordId,
    kind: record.kind,
    status: record.status,
    ...(documentNumber !== undefined ? { documentNumber } : {}),
    disputed: record.disputedBy !== null,
  };
};

/** The list memberships and record ids that make the condition hold; nothing when it does not. */
const grounds = (
  condition: ReviewCondition,
  { status, records }: ReviewSubject,
): { lists: ReviewedListMembership[]; recordIds: string[] } => {
  if ('onList' in condition) {
    const standing = status.lists[condition.onList];
    return standing.onList
      ? {
          lists: [{ list: condition.onList, reasons: standing.reasons }],
          recordIds: standing.reasons.map((reason) => reason.recordId),
        }
      : { lists: [], recordIds: [] };
  }
  switch (condition.records) {
    case 'active_penalty': {
      const wanted = condition.misconductCategories;
      const ids = status.activePenalties.filter((recordId) => {
        if (wanted === undefined) return true;
        const record = records.find((candidate) => candidate.recordId === recordId);
        return record?.kind === 'penalty' && record.status !== 'revoked'
          ? wanted.includes(record.penalty.misconduct)
          : false;
      });
      return { lists: [], recordIds: ids };
    }
    case 'breached_commitment':
      return { lists: [], recordIds: [...status.breachedCommitments] };
    case 'overdue_rectification':
      return { lists: [], recordIds: [...status.overdueRectifications] };
    default:
      return assertNever(condition.records);
  }
};

const appliesTo = (rule: ReviewRule, purpose: CreditUsePurpose, subject: ReviewSubject): boolean =>
  rule.purposes.includes(purpose) &&
  (rule.subjectKinds === undefined || rule.subjectKinds.includes(subject.status.subject.kind));

/**
 * Applies every rule of the policy for the purpose, in the policy's order. A rule restricts when its
 * condition holds for the subject's kind; a list entry counts whatever its reasons (disputed records still
 * count until the objection is decided, as they do for the lists).
 */
export const reviewCredit = (
  subject: ReviewSubject,
  purpose: CreditUsePurpose,
  policy: CreditPolicy,
): CreditReview => {
  const byId = new Map(subject.records.map((record) => [record.recordId, record]));
  const restrictions = policy.reviewRules.flatMap((rule): ReviewRestriction[] => {
    if (!appliesTo(rule, purpose, subject)) return [];
    const found = grounds(rule.when, subject);
    if (found.lists.length === 0 && found.recordIds.length === 0) return [];
    const records = [...new Set(found.recordIds)].flatMap((recordId) => {
      const record = byId.get(recordId);
      return record ? [describe(record)] : [];
    });
    return [
      { rule: rule.rule, measure: rule.measure, basis: rule.basis, listMemberships: found.lists, records },
    ];
  });
  const { status } = subject;
  return {
    subjectId: status.subjectId,
    purpose,
    outcome: restrictions.length > 0 ? 'restricted' : 'clear',
    restrictions,
    grade: status.grade,
    lists: (Object.keys(status.lists) as CreditList[]).filter((list) => status.lists[list].onList),
    policyVersion: policy.version,
    asOf: status.asOf,
  };
};

/** The most requested a batch may hold (an award round, a funding call); more is refused. */
export const MAX_REVIEW_BATCH = 10_000;
