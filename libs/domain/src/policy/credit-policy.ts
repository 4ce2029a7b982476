// The rules that are numbers or lists rather than logic: versioned, so every decision can say which
// rules it applied, and replaceable per jurisdiction where local documents differ (DESIGN.md).
import type { CommitmentOutcome } from '../subject/commitment';
import type { CreditUsePurpose } from './credit-use-purposes';
import type { MisconductCategory, PenaltyCategory, SeverityTier } from '../subject/penalty';
import type { SubjectKind } from '../subject/subject-kind';

export type CreditList = 'red' | 'black' | 'key_supervision';
export const creditLists: readonly CreditList[] = ['red', 'black', 'key_supervision'];

export type CreditGrade = 'A' | 'B' | 'C' | 'D';

export interface PublicityPeriod {
  readonly minimumMonths: number;
  readonly maximumMonths: number;
}

export interface PenaltyRules {
  readonly publicityBySeverity: Readonly<Record<SeverityTier, PublicityPeriod>>;
  /** Where one decision has several penalty types the longest period applies: a category can raise the tier. */
  readonly minimumSeverityByCategory: Readonly<Partial<Record<PenaltyCategory, SeverityTier>>>;
  /** A decision made only of these categories is not published (SAMR: warnings). */
  readonly unpublishedWhenOnly: readonly PenaltyCategory[];
  readonly reportingDeadlineWorkingDays: number;
}

export interface UnrepairableRule {
  /** Stable code given back when repair is refused, e.g. `TEACHERS_LAW_ART_14`. */
  readonly reason: string;
  readonly description: string;
  readonly misconductCategories: readonly MisconductCategory[];
}

export interface ListRules {
  readonly red: {
    readonly minimumActiveHonours: number;
    readonly allowedActiveDishonestRecords: number;
    readonly allowedOverdueRectifications: number;
  };
  /** Serious dishonesty (严重失信): any one of these puts a subject on the black list. */
  readonly black: {
    readonly severities: readonly SeverityTier[];
    readonly misconductCategories: readonly MisconductCategory[];
    readonly commitmentNotKept: boolean;
  };
  /** 重点监管名单: for private schools and institutions only (seed 002 §2). */
  readonly keySupervision: {
    readonly subjectKinds: readonly SubjectKind[];
    readonly overdueRectification: boolean;
    readonly activePenalty: boolean;
  };
}

export type GradeCondition =
  | { readonly onList: CreditList }
  | { readonly activeDishonestRecordsAtLeast: number }
  | { readonly overdueRectificationsAtLeast: number };

/** Rules are tried in order; the first whose conditions any hold gives the grade. */
export interface GradeRule {
  readonly grade: CreditGrade;
  readonly whenAny: readonly GradeCondition[];
}

export type SupervisionLevel = 'reduced' | 'routine' | 'enhanced' | 'key';

/** Graded supervision (分级分类监管): how intensely random inspections (双随机) cover the grade. */
export interface SupervisionTerms {
  readonly level: SupervisionLevel;
  /** Share of subjects of this grade drawn in each random inspection round. */
  readonly randomInspectionSamplingPercent: number;
}

export type MeasureCode =
  | 'no_honours_or_commendation'
  | 'no_project_funding'
  | 'title_evaluation_and_promotion_limited'
  | 'research_funding_limited'
  | 'degree_award_limited'
  | 'teacher_ethics_veto'
  | 'more_frequent_inspection'
  | 'evaluation_grade_lowered'
  | 'priority_for_honours_and_funding'
  | 'simplified_procedures'
  | 'fewer_inspections'
  | 'admission_limited'
  | 'licence_approval_restricted';

export interface Measure {
  readonly code: MeasureCode;
  readonly description: string;
  /** Only these kinds, when a measure makes no sense for others (ethics veto for teachers). */
  readonly subjectKinds?: readonly SubjectKind[];
}

/** What about a subject makes a review rule apply: a list membership, or records of a kind in force. */
export type ReviewCondition =
  | { readonly onList: CreditList }
  | {
      readonly records: 'active_penalty' | 'breached_commitment' | 'overdue_rectification';
      /** Penalties only: just these kinds of misconduct (absent: any). */
      readonly misconductCategories?: readonly MisconductCategory[];
    };

/**
 * One line of the purpose → measure table of credit reviews (信用审查): in a review for one of `purposes`,
 * a subject of `subjectKinds` (absent: any) for whom `when` holds is restricted by `measure`.
 */
export interface ReviewRule {
  /** Stable code named in every review it restricts, e.g. `TEACHER_ETHICS_VETO`. */
  readonly rule: string;
  readonly purposes: readonly CreditUsePurpose[];
  readonly when: ReviewCondition;
  readonly subjectKinds?: readonly SubjectKind[];
  readonly measure: Measure;
  /** The document the rule rests on, as officials cite it. */
  readonly basis: string;
}

export interface CreditPolicy {
  /** Recorded with every decision, e.g. `2025-01`. */
  readonly version: string;
  /** Division the policy governs; `000000` for the national default. */
  readonly jurisdiction: string;
  readonly penalties: PenaltyRules;
  /** Kinds whose records and list entries are never published, whatever their age (students, seed 002 §6). */
  readonly neverPublishedSubjectKinds: readonly SubjectKind[];
  /** Catalogue validity of a record (有效期限). */
  readonly recordValidityMonths: number;
  readonly objections: {
    readonly decisionWorkingDays: number;
    readonly decisionWorkingDaysWithExternalVerification: number;
  };
  readonly commitments: {
    /** Outcomes that are dishonest information (违诺). */
    readonly dishonestOutcomes: readonly CommitmentOutcome[];
  };
  readonly repair: {
    readonly unrepairable: readonly UnrepairableRule[];
    /** A breached repair commitment republishes its penalty until the maximum period, without further repair. */
    readonly breachedRepairCommitmentRestoresMaximumPublicity: boolean;
  };
  readonly lists: ListRules;
  readonly grading: {
    readonly rules: readonly GradeRule[];
    readonly otherwise: CreditGrade;
    readonly supervisionByGrade: Readonly<Record<CreditGrade, SupervisionTerms>>;
  };
  /** Joint reward and punishment (联合奖惩): what other departments apply to a subject on each list. */
  readonly measuresByList: Readonly<Record<CreditList, readonly Measure[]>>;
  /** Credit reviews: which lists and records restrict a subject for which purpose, with which measure. */
  readonly reviewRules: readonly ReviewRule[];
}
