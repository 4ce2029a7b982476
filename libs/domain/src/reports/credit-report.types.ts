// The credit report (信用报告) as JSON: what GET /api/v1/subjects/{id}/credit-report answers and the PDF draws.
// Stable: fields are only ever added. The content is built by buildCreditReport (credit-report.ts); the
// `verification` section is added by the application (it needs the digest store and a signing key).
import type { IsoDate } from '../calendar/iso-date';
import type { CreditGrade, MeasureCode, SupervisionLevel } from '../policy/credit-policy';
import type { CreditUsePurpose } from '../policy/credit-use-purposes';
import type { SeverityTier } from '../subject/penalty';
import type { CreditRecordKind } from '../subject/credit-record';
import type { SubjectKind } from '../subject/subject-kind';

/** The version of this shape and of the sealing rules (docs/ledger-proofs.md §8). */
export const CREDIT_REPORT_FORMAT = 'ledger-credit-report-v1';

export interface ReportOrganisation {
  readonly name: string;
  readonly uscc?: string;
}

export interface ReportIssuer {
  /** The issuing authority: the actor's department as the token or key names it. */
  readonly authority: { readonly name: string; readonly jurisdiction: string };
  /** Who pulled the report. */
  readonly actor: {
    readonly id: string;
    readonly role: string;
    readonly department?: string;
    readonly jurisdiction: string;
  };
}

export interface ReportSubject {
  readonly subjectId: string;
  readonly kind: SubjectKind;
  readonly personType: 'natural_person' | 'legal_person';
  readonly name: string;
  /** Division code (6 digits). */
  readonly jurisdiction: string;
  /** USCC for legal persons; the masked resident ID (`110105********002X`) for natural persons. */
  readonly identifier: { readonly scheme: 'uscc' | 'resident_id'; readonly value: string };
  readonly isMinor: boolean;
}

export interface ReportStanding {
  readonly grade: CreditGrade;
  readonly supervision: {
    readonly level: SupervisionLevel;
    readonly randomInspectionSamplingPercent: number;
  };
  readonly lists: { readonly red: boolean; readonly black: boolean; readonly key_supervision: boolean };
  readonly policyVersion: string;
}

/** One record in force at `asOf` (revoked, expired and repaired records are not). */
export interface ReportRecord {
  readonly recordId: string;
  readonly kind: CreditRecordKind;
  /** The record's lifecycle status (penalty: active | publicity_ended; commitment: in_force | due | assessed …). */
  readonly status: string;
  /** Dishonest (失信) or trustworthy (守信) information, or neither (a commitment kept or still running). */
  readonly nature: 'dishonest' | 'trustworthy' | 'neutral';
  /** Offence type, honour title, commitment type, or the rectification finding. */
  readonly title: string;
  /** Decision document number (文书号), honour document number, commitment code or notice number. */
  readonly documentNumber: string | null;
  readonly legalBasis: string | null;
  readonly content: string | null;
  readonly authority: ReportOrganisation | null;
  /** Decision date, award date, date made, or notice issue date. */
  readonly decidedOn: IsoDate;
  readonly severity: SeverityTier | null;
  /** Publicity: from, minimum end (repair allowed), end. Penalties only. */
  readonly publicity: {
    readonly startsOn: IsoDate;
    readonly minimumPeriodEndsOn: IsoDate;
    readonly endsOn: IsoDate;
    readonly disclosure: 'public' | 'restricted';
  } | null;
  /** The last day the record counts (policy recordValidityMonths), or a commitment's or notice's deadline. */
  readonly validUntil: IsoDate | null;
  /** An objection against it is open. */
  readonly disputed: boolean;
  /** The events of the subject's stream about this record, oldest first; each has a proof in `verification`. */
  readonly eventIds: readonly string[];
}

export interface ReportRepair {
  readonly applicationId: string;
  readonly recordId: string;
  readonly documentNumber: string | null;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly appliedOn: IsoDate;
  readonly decidedOn: IsoDate | null;
  readonly reason: string | null;
  readonly eventIds: readonly string[];
}

export interface ReportObjection {
  readonly objectionId: string;
  readonly recordId: string;
  readonly documentNumber: string | null;
  readonly status: 'open' | 'resolved';
  readonly grounds: string;
  readonly filedOn: IsoDate;
  readonly decisionDueBy: IsoDate;
  /** upheld: the record stands; corrected: it was corrected; revoked: the record was revoked. */
  readonly outcome: 'upheld' | 'corrected' | 'revoked' | null;
  readonly resolvedOn: IsoDate | null;
  readonly reason: string | null;
  readonly eventIds: readonly string[];
}

export interface ReportMeasure {
  readonly code: MeasureCode;
  readonly description: string;
}

/** 002 §6: a teacher's file is a 教师个人职业信用报告 only once the teacher confirmed it. */
export interface ReportTeacherConfirmation {
  readonly status: 'not_requested' | 'requested' | 'confirmed' | 'contested';
  readonly requestedOn: IsoDate | null;
  readonly answeredOn: IsoDate | null;
  /** The objection a contest opened. */
  readonly objectionId: string | null;
  /** The sentence the report prints (Chinese), e.g. 本报告尚未经教师本人确认. */
  readonly notice: string;
}

/** Everything the report says, built from the ledger by buildCreditReport; sealed as part of the report. */
export interface CreditReportContent {
  readonly format: typeof CREDIT_REPORT_FORMAT;
  readonly reportNo: string;
  /** ISO 8601 instant the report was issued. */
  readonly issuedAt: string;
  /** The Beijing date the standing and validity are computed for. */
  readonly asOf: IsoDate;
  readonly purpose: { readonly code: CreditUsePurpose; readonly name: string };
  readonly issuer: ReportIssuer;
  readonly subject: ReportSubject;
  readonly standing: ReportStanding;
  readonly records: readonly ReportRecord[];
  readonly measures: readonly ReportMeasure[];
  readonly repairs: readonly ReportRepair[];
  readonly objections: readonly ReportObjection[];
  /** Teachers only (null for every other kind). */
  readonly teacherConfirmation: ReportTeacherConfirmation | null;
  /** What the report leaves out and why (counts only). */
  readonly excluded: { readonly expired: number; readonly revoked: number; readonly repaired: number };
}

/** A digest as published (docs/ledger-proofs.md §4). */
export interface ReportDigest {
  readonly upToPosition: number;
  readonly eventCount: number;
  readonly root: string;
  readonly algorithm: string;
  readonly createdAt: string;
  readonly keyId?: string;
  readonly signature?: string;
}

/** An inclusion proof (docs/ledger-proofs.md §5) of one event against the report's digest. */
export interface ReportEventProof {
  readonly eventId: string;
  readonly algorithm: string;
  readonly leaf: {
    readonly position: number;
    readonly streamId: string;
    readonly revision: number;
    readonly hash: string;
  };
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly auditPath: readonly string[];
}

export interface ReportVerification {
  /** The signed digest the report was cut from: every event the report rests on is at or below it. */
  readonly digest: ReportDigest;
  /** The subject's stream as folded: its last event's revision and position (≤ digest.upToPosition). */
  readonly cutFrom: { readonly streamId: string; readonly revision: number; readonly position: number };
  /** One proof per event named by any `eventIds` (and the subject's registration), in position order. */
  readonly proofs: readonly ReportEventProof[];
  /** What the QR code carries: `CR1|<reportNo>|<digest.upToPosition>|<digest.root>|<verification URL path>`. */
  readonly qr: string;
  /** Where the issuing ledger answers whether the report is genuine and current. */
  readonly verificationPath: string;
  /**
   * The seal over everything else in the report: contentHash = SHA-256 of the RFC 8785 form of the report
   * without `verification.seal`; signature = Ed25519 under the ledger's published digest keys over
   * `"ledger-credit-report-v1\n" + contentHash` (docs/ledger-proofs.md §8).
   */
  readonly seal: {
    readonly algorithm: 'Ed25519';
    readonly contentHash: string;
    readonly keyId: string;
    readonly signature: string;
  };
}

export interface CreditReport extends CreditReportContent {
  readonly verification: ReportVerification;
}
