// The records a subject's stream holds, each with its own lifecycle status.
import type { IsoDate } from '../calendar/iso-date';
import type { CommitmentDetails, CommitmentOutcome } from './commitment';
import type { HonourCorrections, HonourDetails } from './honour';
import type { PenaltyCorrections, PenaltyDetails, PublicityTerms, SeverityTier } from './penalty';
import type { RectificationNotice } from './rectification';

export type RecordCorrections = PenaltyCorrections | HonourCorrections;

interface RecordBase {
  readonly recordId: string;
  /** The open objection against the record, if any: the record is disputed while it is set. */
  readonly disputedBy: string | null;
}

/**
 * `active`: counts for lists and grade. `publicity_ended`: maximum period reached, kept until expiry.
 * `repaired`: publicity ended early on an approved repair.
 */
export type PenaltyStatus = 'active' | 'publicity_ended' | 'repaired' | 'expired';

export interface PenaltyRecord extends RecordBase {
  readonly kind: 'penalty';
  readonly status: PenaltyStatus;
  readonly penalty: PenaltyDetails;
  readonly severity: SeverityTier;
  readonly publicity: PublicityTerms;
  readonly expiresOn: IsoDate;
  readonly reportedLate: boolean;
  readonly pendingRepair: string | null;
  /** Set when a repair commitment about this penalty was breached. */
  readonly repairBarredBy: string | null;
}

export type HonourStatus = 'active' | 'expired';

export interface HonourRecord extends RecordBase {
  readonly kind: 'honour';
  readonly status: HonourStatus;
  readonly honour: HonourDetails;
  readonly expiresOn: IsoDate;
}

/** `in_force` until its last binding day, `due` once the scheduler says so, `assessed` with an outcome. */
export type CommitmentStatus = 'in_force' | 'due' | 'assessed' | 'expired';

export interface CommitmentRecord extends RecordBase {
  readonly kind: 'commitment';
  readonly status: CommitmentStatus;
  readonly commitment: CommitmentDetails;
  readonly outcome: CommitmentOutcome | null;
  /** Set for a breach: the date the dishonest information stops counting. */
  readonly dishonestUntil: IsoDate | null;
}

export type RectificationStatus = 'open' | 'overdue' | 'completed';

export interface RectificationRecord extends RecordBase {
  readonly kind: 'rectification';
  readonly status: RectificationStatus;
  readonly notice: RectificationNotice;
}

export type CreditRecordKind = 'penalty' | 'honour' | 'commitment' | 'rectification';

/**
 * A revoked record of any kind. It stops counting, and no decision asks more of it than its id, its kind and
 * an objection still open against it, so the state keeps only those: the original event stays in the stream,
 * and the status document that carries the state does not grow with details that no longer count.
 */
export interface RevokedRecord<Kind extends CreditRecordKind = CreditRecordKind> extends RecordBase {
  readonly kind: Kind;
  readonly status: 'revoked';
}

/** A record that was not revoked, with all its details. */
export type LiveRecord = PenaltyRecord | HonourRecord | CommitmentRecord | RectificationRecord;

export type CreditRecord = LiveRecord | { [Kind in CreditRecordKind]: RevokedRecord<Kind> }[CreditRecordKind];

export interface RepairApplication {
  readonly applicationId: string;
  readonly recordId: string;
  readonly status: 'pending' | 'approved' | 'rejected';
}

export interface Objection {
  readonly objectionId: string;
  readonly recordId: string;
  readonly status: 'open' | 'resolved';
  readonly decisionDueBy: IsoDate;
}

/** A teacher's confirmation of their credit file (002 §6). */
export interface ReportConfirmation {
  readonly confirmationId: string;
  readonly status: 'requested' | 'confirmed' | 'contested';
  readonly requestedOn: IsoDate;
  readonly answeredOn: IsoDate | null;
  /** The objection a contest filed. */
  readonly objectionId: string | null;
  /** The records the teacher was asked to confirm. */
  readonly recordIds: readonly string[];
}

/** A breached commitment is dishonest information while its period runs and it was not revoked. */
export const isBreachInForce = (record: Extract<CreditRecord, { kind: 'commitment' }>): boolean =>
  record.status === 'assessed' && record.dishonestUntil !== null;
