// Administrative penalties (行政处罚) in the double-publicity field set (双公示, REFERENCE.md).
import type { IsoDate } from '../calendar/iso-date';

export type SeverityTier = 'minor' | 'general' | 'serious';

export const severityRank: Readonly<Record<SeverityTier, number>> = { minor: 0, general: 1, serious: 2 };

/** Penalty category (CF_CFLB). One decision may carry several. */
export type PenaltyCategory =
  | 'warning'
  | 'notice_of_criticism'
  | 'fine'
  | 'confiscation'
  | 'licence_suspended'
  | 'licence_revoked'
  | 'qualification_downgraded'
  | 'activities_restricted'
  | 'operations_suspended'
  | 'ordered_to_close'
  | 'employment_restricted'
  | 'teacher_qualification_revoked'
  | 'teacher_qualification_lost'
  | 'degree_revoked'
  | 'exam_result_voided'
  | 'other';

/** What kind of dishonesty the decision establishes; the catalogue treats some kinds as serious. */
export type MisconductCategory =
  | 'administrative_violation'
  | 'academic_misconduct'
  | 'qualification_fraud'
  | 'exam_cheating'
  | 'diploma_fraud'
  | 'false_registration'
  | 'teacher_ethics_violation'
  | 'intentional_crime'
  | 'deprivation_of_political_rights';

export interface Organisation {
  readonly name: string;
  readonly uscc: string;
}

export interface PenaltyDetails {
  /** CF_WSH; unique within a subject. */
  readonly documentNumber: string;
  /** CF_WFXW */
  readonly offenceType: string;
  /** CF_SY */
  readonly facts: string;
  /** CF_YJ */
  readonly legalBasis: string;
  /** CF_CFLB */
  readonly categories: readonly PenaltyCategory[];
  readonly misconduct: MisconductCategory;
  /** CF_NR */
  readonly content: string;
  /** CF_NR_FK, in units of 10,000 yuan as the platforms expect. */
  readonly fineAmountTenThousandYuan?: number;
  /** CF_NR_WFFF, in units of 10,000 yuan. */
  readonly confiscationAmountTenThousandYuan?: number;
  /** CF_NR_ZKDX: name and number of the licence suspended or revoked. */
  readonly licenceAffected?: string;
  /** CF_JDRQ */
  readonly decisionDate: IsoDate;
  /** CF_CFJG / CF_CFJGDM */
  readonly authority: Organisation;
  /** CF_SJLY / CF_SJLYDM; the authority itself when not given. */
  readonly dataSource: Organisation;
  /** CF_FRDB and its ID: a natural person's ID, so public output masks it. */
  readonly legalRepresentative?: {
    readonly name: string;
    readonly idType: string;
    readonly idNumber: string;
  };
  /** BZ */
  readonly remarks?: string;
}

/** Fields an official correction may change. Dates, categories and severity decide the publicity
 * window: changing them means revoking the record and recording the decision again. */
export const correctablePenaltyFields = [
  'offenceType',
  'facts',
  'legalBasis',
  'content',
  'fineAmountTenThousandYuan',
  'confiscationAmountTenThousandYuan',
  'licenceAffected',
  'remarks',
] as const;

export type PenaltyCorrections = Partial<Pick<PenaltyDetails, (typeof correctablePenaltyFields)[number]>>;

/** Restricted records stay in the ledger and count for lists and grades, but are never published. */
export type Disclosure = 'public' | 'restricted';

export type RestrictionReason = 'minor_subject' | 'protected_subject_kind' | 'warning_only';

export interface PublicityTerms {
  readonly disclosure: Disclosure;
  readonly restrictedBecause?: RestrictionReason;
  readonly startsOn: IsoDate;
  /** From this date the subject may apply for repair (early end). */
  readonly minimumPeriodEndsOn: IsoDate;
  /** On this date publicity ends of itself. */
  readonly maximumPeriodEndsOn: IsoDate;
}
