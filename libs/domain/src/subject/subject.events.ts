// What happened to a subject. Every event names its subject; those that create a record or change a
// list also carry the subject's kind, name and jurisdiction, so a read model never has to look them up.
import type { IsoDate } from '../calendar/iso-date';
import type { Event } from '../decider';
import type { UsccChecksumStatus } from '../identifiers/uscc';
import type { CreditGrade, CreditList, MeasureCode, SupervisionTerms } from '../policy/credit-policy';
import type { CommitmentDetails, CommitmentOutcome } from './commitment';
import type { HonourDetails } from './honour';
import type { PenaltyDetails, PublicityTerms, SeverityTier } from './penalty';
import type { RectificationNotice } from './rectification';
import type { RecordCorrections } from './credit-record';
import type { IdentifierScheme, SubjectKind, SubjectSummary } from './subject-kind';

export type SubjectRegistered = Event<
  'SubjectRegistered',
  {
    readonly subjectId: string;
    readonly kind: SubjectKind;
    readonly name: string;
    readonly jurisdiction: string;
    readonly identifier: {
      readonly scheme: IdentifierScheme;
      readonly value: string;
      /** Present for a USCC: `legacy_override` records that a failing pilot checksum was accepted. */
      readonly checksum?: UsccChecksumStatus;
    };
    /** Natural persons only, read from the ID number: it decides whether the person is a minor. */
    readonly birthDate?: IsoDate;
    readonly registeredOn: IsoDate;
  }
>;

export type PenaltyRecorded = Event<
  'PenaltyRecorded',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly recordId: string;
    readonly penalty: PenaltyDetails;
    readonly declaredSeverity: SeverityTier;
    /** After categories that require a higher tier were applied: this tier set the periods. */
    readonly severity: SeverityTier;
    readonly publicity: PublicityTerms;
    /** End of catalogue validity (有效期限): the scheduler expires the record on this date. */
    readonly expiresOn: IsoDate;
    readonly reporting: { readonly reportedOn: IsoDate; readonly deadline: IsoDate; readonly late: boolean };
  }
>;

export type HonourRecorded = Event<
  'HonourRecorded',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly recordId: string;
    readonly honour: HonourDetails;
    readonly expiresOn: IsoDate;
  }
>;

export type CommitmentSigned = Event<
  'CommitmentSigned',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly recordId: string;
    readonly commitment: CommitmentDetails;
  }
>;

export type CommitmentFellDue = Event<
  'CommitmentFellDue',
  { readonly subjectId: string; readonly recordId: string; readonly validUntil: IsoDate }
>;

export type CommitmentOutcomeRecorded = Event<
  'CommitmentOutcomeRecorded',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly outcome: CommitmentOutcome;
    readonly assessedOn: IsoDate;
    readonly unkeptContent?: string;
    readonly liabilityPursued?: string;
    /** A breach (违诺) is dishonest information until `dishonestUntil`. */
    readonly dishonest: boolean;
    readonly dishonestUntil?: IsoDate;
  }
>;

/** A breached repair commitment: the penalty is published again until its maximum period, with no further repair. */
export type PublicityExtendedToMaximum = Event<
  'PublicityExtendedToMaximum',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly recordId: string;
    readonly breachedCommitmentId: string;
    readonly until: IsoDate;
    readonly penalty: PenaltyDetails;
    readonly severity: SeverityTier;
    readonly publicity: PublicityTerms;
  }
>;

export type RectificationNoticeIssued = Event<
  'RectificationNoticeIssued',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly recordId: string;
    readonly notice: RectificationNotice;
  }
>;

export type RectificationCompleted = Event<
  'RectificationCompleted',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly completedOn: IsoDate;
    readonly verification: string;
    readonly late: boolean;
  }
>;

export type RectificationOverdue = Event<
  'RectificationOverdue',
  { readonly subjectId: string; readonly recordId: string; readonly deadline: IsoDate }
>;

export type RepairApplied = Event<
  'RepairApplied',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly applicationId: string;
    readonly correctionStatement: string;
    readonly appliedOn: IsoDate;
  }
>;

/** The penalty's publicity ends early and it no longer counts for lists or grade. */
export type RepairApproved = Event<
  'RepairApproved',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly applicationId: string;
    readonly decidedOn: IsoDate;
  }
>;

export type RepairRejected = Event<
  'RepairRejected',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly applicationId: string;
    readonly reason: string;
    readonly decidedOn: IsoDate;
  }
>;

/** The record is flagged disputed from this moment until the objection is resolved. */
export type ObjectionFiled = Event<
  'ObjectionFiled',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly objectionId: string;
    readonly grounds: string;
    readonly requiresExternalVerification: boolean;
    readonly filedOn: IsoDate;
    readonly decisionDueBy: IsoDate;
  }
>;

/** Version 3 (subject.upcasters.ts). A `corrected` outcome is followed by the RecordCorrected event that changes the fields. */
export type ObjectionResolved = Event<
  'ObjectionResolved',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly objectionId: string;
    /**
     * What became of the record: `upheld` (维持, it stands) or `corrected`. Version 1 called this `outcome`,
     * which reads as the objection's outcome (an objection "upheld" would mean the record is corrected).
     */
    readonly recordOutcome: 'upheld' | 'corrected';
    readonly reason: string;
    readonly resolvedOn: IsoDate;
    readonly withinDeadline: boolean;
    /** Since version 3: the deadline `withinDeadline` was judged against. Absent on older events. */
    readonly decisionDueBy?: IsoDate;
  }
>;

/** The original event stays in the stream; this one states what changed and why. */
export type RecordCorrected = Event<
  'RecordCorrected',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly corrections: RecordCorrections;
    readonly reason: string;
    readonly objectionId?: string;
    readonly correctedOn: IsoDate;
  }
>;

export type RecordRevoked = Event<
  'RecordRevoked',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly reason: string;
    readonly revokedOn: IsoDate;
  }
>;

export type PublicityEnded = Event<
  'PublicityEnded',
  { readonly subjectId: string; readonly recordId: string; readonly endedOn: IsoDate }
>;

export type RecordExpired = Event<
  'RecordExpired',
  { readonly subjectId: string; readonly recordId: string; readonly expiredOn: IsoDate }
>;

export type ListReasonCode =
  | 'active_honour'
  | 'serious_penalty'
  | 'serious_misconduct'
  | 'commitment_not_kept'
  | 'overdue_rectification'
  | 'active_penalty';

export interface ListReason {
  readonly code: ListReasonCode;
  readonly recordId: string;
}

export type ListMembershipChanged = Event<
  'ListMembershipChanged',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly list: CreditList;
    readonly change: 'entered' | 'left';
    /** Why the subject is on the list; empty when it left. */
    readonly reasons: readonly ListReason[];
    /** Measures other departments apply while the subject is on the list; empty when it left. */
    readonly measures: readonly MeasureCode[];
    /** `restricted` for minors: the membership counts but is never published. */
    readonly disclosure: 'public' | 'restricted';
    readonly changedOn: IsoDate;
  }
>;

export type CreditGradeChanged = Event<
  'CreditGradeChanged',
  {
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    /** null for the first grade, given at registration. */
    readonly previousGrade: CreditGrade | null;
    readonly grade: CreditGrade;
    readonly supervision: SupervisionTerms;
    readonly changedOn: IsoDate;
  }
>;

/** 002 §6: the teacher is asked to confirm the file before it serves as a 教师个人职业信用报告. */
export type ReportConfirmationRequested = Event<
  'ReportConfirmationRequested',
  {
    readonly subjectId: string;
    readonly confirmationId: string;
    readonly requestedOn: IsoDate;
    /** Records of the file at the request (revoked ones excluded): what the teacher is asked to confirm. */
    readonly recordIds: readonly string[];
  }
>;

export type ReportConfirmed = Event<
  'ReportConfirmed',
  { readonly subjectId: string; readonly confirmationId: string; readonly confirmedOn: IsoDate }
>;

/** The teacher contests a record of the file: an objection against it is filed in the same decision. */
export type ReportContested = Event<
  'ReportContested',
  {
    readonly subjectId: string;
    readonly confirmationId: string;
    readonly recordId: string;
    readonly objectionId: string;
    readonly contestedOn: IsoDate;
  }
>;

export type SubjectEvent =
  | SubjectRegistered
  | PenaltyRecorded
  | HonourRecorded
  | CommitmentSigned
  | CommitmentFellDue
  | CommitmentOutcomeRecorded
  | PublicityExtendedToMaximum
  | RectificationNoticeIssued
  | RectificationCompleted
  | RectificationOverdue
  | RepairApplied
  | RepairApproved
  | RepairRejected
  | ObjectionFiled
  | ObjectionResolved
  | RecordCorrected
  | RecordRevoked
  | PublicityEnded
  | RecordExpired
  | ListMembershipChanged
  | CreditGradeChanged
  | ReportConfirmationRequested
  | ReportConfirmed
  | ReportContested;

export type SubjectEventType = SubjectEvent['type'];
