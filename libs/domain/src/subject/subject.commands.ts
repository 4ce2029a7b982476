// What can be asked of a subject's stream. Ids of new records and applications come in with the
// command, so a retried command can be recognised and the domain never generates ids.
import type { IsoDate } from '../calendar/iso-date';
import type { CommandMetadata } from '../command-metadata';
import type { Command } from '../decider';
import type { CommitmentDetails, CommitmentOutcome } from './commitment';
import type { RecordCorrections } from './credit-record';
import type { HonourDetails } from './honour';
import type { MisconductCategory, Organisation, PenaltyCategory, SeverityTier } from './penalty';
import type { RectificationNotice } from './rectification';
import type { SubjectKind } from './subject-kind';

type SubjectCommandOf<Type extends string, Data> = Command<Type, Data, CommandMetadata>;

export type RegisterSubject = SubjectCommandOf<
  'RegisterSubject',
  {
    readonly subjectId: string;
    readonly kind: SubjectKind;
    readonly name: string;
    /** USCC for legal persons, resident ID number for natural persons. */
    readonly identifier: string;
    /** Accept an early pilot USCC that fails its checksum; the acceptance is recorded. */
    readonly allowLegacyChecksum?: boolean;
    readonly jurisdiction: string;
  }
>;

export type RecordPenalty = SubjectCommandOf<
  'RecordPenalty',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly documentNumber: string;
    readonly offenceType: string;
    readonly facts: string;
    readonly legalBasis: string;
    readonly categories: readonly PenaltyCategory[];
    /** Defaults to an ordinary administrative violation. */
    readonly misconduct?: MisconductCategory;
    readonly content: string;
    readonly fineAmountTenThousandYuan?: number;
    readonly confiscationAmountTenThousandYuan?: number;
    readonly licenceAffected?: string;
    readonly decisionDate: IsoDate;
    readonly authority: Organisation;
    readonly dataSource?: Organisation;
    readonly legalRepresentative?: {
      readonly name: string;
      readonly idType: string;
      readonly idNumber: string;
    };
    readonly remarks?: string;
    /** As the deciding authority classified it; a category may raise it (the longest period applies). */
    readonly severity: SeverityTier;
  }
>;

export type RecordHonour = SubjectCommandOf<
  'RecordHonour',
  { readonly subjectId: string; readonly recordId: string } & HonourDetails
>;

export type SignCommitment = SubjectCommandOf<
  'SignCommitment',
  { readonly subjectId: string; readonly recordId: string } & CommitmentDetails
>;

/** Issued by the scheduler after the commitment's last binding day. */
export type MarkCommitmentDue = SubjectCommandOf<
  'MarkCommitmentDue',
  { readonly subjectId: string; readonly recordId: string }
>;

export type RecordCommitmentOutcome = SubjectCommandOf<
  'RecordCommitmentOutcome',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly outcome: CommitmentOutcome;
    /** Required unless the commitment was kept. */
    readonly unkeptContent?: string;
    readonly liabilityPursued?: string;
  }
>;

export type IssueRectificationNotice = SubjectCommandOf<
  'IssueRectificationNotice',
  { readonly subjectId: string; readonly recordId: string } & RectificationNotice
>;

export type CompleteRectification = SubjectCommandOf<
  'CompleteRectification',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly completedOn: IsoDate;
    readonly verification: string;
  }
>;

/** Issued by the scheduler when a deadline has passed without completion. */
export type MarkRectificationOverdue = SubjectCommandOf<
  'MarkRectificationOverdue',
  { readonly subjectId: string; readonly recordId: string }
>;

export type ApplyForRepair = SubjectCommandOf<
  'ApplyForRepair',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly applicationId: string;
    /** The subject's statement of how it corrected the conduct (信用修复申请). */
    readonly correctionStatement: string;
  }
>;

export type DecideRepair = SubjectCommandOf<
  'DecideRepair',
  {
    readonly subjectId: string;
    readonly applicationId: string;
    readonly decision: 'approved' | 'rejected';
    /** Required for a rejection. */
    readonly reason?: string;
  }
>;

export type FileObjection = SubjectCommandOf<
  'FileObjection',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly objectionId: string;
    readonly grounds: string;
    /** Another unit must verify the facts: the longer decision deadline applies. */
    readonly requiresExternalVerification: boolean;
  }
>;

export type ResolveObjection = SubjectCommandOf<
  'ResolveObjection',
  {
    readonly subjectId: string;
    readonly objectionId: string;
    readonly outcome: 'upheld' | 'corrected';
    readonly reason: string;
    /** Required when corrected. */
    readonly corrections?: RecordCorrections;
  }
>;

export type CorrectRecord = SubjectCommandOf<
  'CorrectRecord',
  {
    readonly subjectId: string;
    readonly recordId: string;
    readonly corrections: RecordCorrections;
    readonly reason: string;
  }
>;

export type RevokeRecord = SubjectCommandOf<
  'RevokeRecord',
  { readonly subjectId: string; readonly recordId: string; readonly reason: string }
>;

/** Issued by the scheduler when a penalty's maximum publicity period is reached. */
export type EndPublicity = SubjectCommandOf<
  'EndPublicity',
  { readonly subjectId: string; readonly recordId: string }
>;

/** Issued by the scheduler when a record's catalogue validity has run out. */
export type ExpireRecord = SubjectCommandOf<
  'ExpireRecord',
  { readonly subjectId: string; readonly recordId: string }
>;

/** Re-derives lists and grade, e.g. after a new policy version: emits only the changes. */
export type ReassessCredit = SubjectCommandOf<'ReassessCredit', { readonly subjectId: string }>;

/** Ask a teacher to confirm their credit file (002 §6). */
export type RequestReportConfirmation = SubjectCommandOf<
  'RequestReportConfirmation',
  { readonly subjectId: string; readonly confirmationId: string }
>;

/** The teacher's answer: confirm the file, or contest one record of it (which files an objection). */
export type AnswerReportConfirmation = SubjectCommandOf<
  'AnswerReportConfirmation',
  {
    readonly subjectId: string;
    readonly confirmationId: string;
    readonly answer: 'confirmed' | 'contested';
    /** Contest only: the record contested, the grounds, and the id of the objection it opens. */
    readonly recordId?: string;
    readonly grounds?: string;
    readonly objectionId?: string;
    readonly requiresExternalVerification?: boolean;
  }
>;

export type SubjectCommand =
  | RegisterSubject
  | RecordPenalty
  | RecordHonour
  | SignCommitment
  | MarkCommitmentDue
  | RecordCommitmentOutcome
  | IssueRectificationNotice
  | CompleteRectification
  | MarkRectificationOverdue
  | ApplyForRepair
  | DecideRepair
  | FileObjection
  | ResolveObjection
  | CorrectRecord
  | RevokeRecord
  | EndPublicity
  | ExpireRecord
  | ReassessCredit
  | RequestReportConfirmation
  | AnswerReportConfirmation;
