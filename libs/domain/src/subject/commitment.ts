// Credit commitments (信用承诺): promises made before licensing, exams, funding or repair (REFERENCE.md).
import { addDays, type IsoDate } from '../calendar/iso-date';
import type { Organisation } from './penalty';

export type CommitmentType =
  | 'in_place_of_approval'
  | 'missing_documents_accepted'
  | 'in_place_of_certificate'
  | 'credit_repair'
  | 'industry_self_discipline'
  | 'voluntary'
  | 'other';

export type CommitmentDisclosure = 'public' | 'restricted' | 'not_public';

export type CommitmentOutcome = 'kept' | 'partly_kept' | 'not_kept';

export interface CommitmentDetails {
  /** 6-digit division + 8-digit date made + 6-digit serial; unique within a subject. */
  readonly code: string;
  readonly type: CommitmentType;
  readonly reason: string;
  readonly content: string;
  readonly liabilityOnBreach: string;
  readonly madeOn: IsoDate;
  /** Last day the commitment binds; after it the outcome is assessed. */
  readonly validUntil: IsoDate;
  readonly acceptingUnit: Organisation;
  readonly disclosure: CommitmentDisclosure;
  /** A repair commitment (信用修复型) is made about one penalty: its breach republishes that penalty. */
  readonly relatedPenaltyId?: string;
}

/**
 * The first Beijing date on which a commitment in force falls due (MarkCommitmentDue is accepted): the day
 * after the last day it binds. The decider and the deadlines read model both ask this.
 */
export const commitmentFallsDueOn = (commitment: Pick<CommitmentDetails, 'validUntil'>): IsoDate =>
  addDays(commitment.validUntil, 1);
