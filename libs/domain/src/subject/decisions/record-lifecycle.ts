// Official corrections and revocations, and the scheduler's time-driven ends of publicity and validity.
import type { IsoDate } from '../../calendar/iso-date';
import { assertNever } from '../../decider';
import { Conflict, RuleViolation } from '../../errors';
import type { LiveRecord } from '../credit-record';
import type { CorrectRecord, EndPublicity, ExpireRecord, RevokeRecord } from '../subject.commands';
import type {
  ObjectionResolved,
  PublicityEnded,
  RecordCorrected,
  RecordExpired,
  RecordRevoked,
} from '../subject.events';
import { objectionById, type RegisteredSubject } from '../subject.state';
import { requireText } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { effectiveCorrections } from './record-corrections';
import { findRecord, findRecordOfKind } from './record-lookup';

export const correctRecord = (
  command: CorrectRecord,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): RecordCorrected[] => {
  const { subjectId, recordId, corrections, reason } = command.data;
  requireText('reason', reason);
  const changed = effectiveCorrections(findRecord(subject, recordId), corrections);
  return [
    {
      type: 'RecordCorrected',
      data: { subjectId, recordId, corrections: changed, reason, correctedOn: today },
    },
  ];
};

/**
 * Revocation withdraws a record that should never have been made; its original event stays in the stream.
 * An objection still open against it closes with it: the record it disputes no longer exists, so there is
 * nothing left to uphold or correct (DOMAIN.md: disputed "until a decision corrects or upholds it"; a
 * revocation goes further than either), and a revoked record is never shown disputed.
 */
export const revokeRecord = (
  command: RevokeRecord,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): Array<RecordRevoked | ObjectionResolved> => {
  const { subjectId, recordId, reason } = command.data;
  requireText('reason', reason);
  const record = findRecord(subject, recordId);
  if (record.status === 'revoked') {
    throw new Conflict('RECORD.ALREADY_REVOKED', `Record ${recordId} is already revoked`, { recordId });
  }
  const revoked: RecordRevoked = {
    type: 'RecordRevoked',
    data: { subjectId, recordId, reason, revokedOn: today },
  };
  const objection = record.disputedBy === null ? undefined : objectionById(subject, record.disputedBy);
  if (objection === undefined || objection.status !== 'open') return [revoked];
  return [
    revoked,
    {
      type: 'ObjectionResolved',
      data: {
        subjectId,
        recordId,
        objectionId: objection.objectionId,
        recordOutcome: 'record_revoked',
        reason,
        resolvedOn: today,
        withinDeadline: today <= objection.decisionDueBy,
        decisionDueBy: objection.decisionDueBy,
      },
    },
  ];
};

export const endPublicity = (
  command: EndPublicity,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): PublicityEnded[] => {
  const { subjectId, recordId } = command.data;
  const penalty = findRecordOfKind(subject, recordId, 'penalty');
  if (penalty.status !== 'active') {
    throw new RuleViolation('PUBLICITY.NOT_ACTIVE', `Penalty ${recordId} is ${penalty.status}`, {
      recordId,
      status: penalty.status,
    });
  }
  const endsOn = penalty.publicity.maximumPeriodEndsOn;
  if (today < endsOn) {
    throw new RuleViolation(
      'PUBLICITY.MAXIMUM_NOT_REACHED',
      `Publicity of ${recordId} runs until ${endsOn}`,
      {
        recordId,
        maximumPeriodEndsOn: endsOn,
      },
    );
  }
  return [{ type: 'PublicityEnded', data: { subjectId, recordId, endedOn: today } }];
};

/** The date a record stops counting, or null for records without a validity period. */
const expiryOf = (record: LiveRecord): IsoDate | null => {
  switch (record.kind) {
    case 'penalty':
    case 'honour':
      return record.expiresOn;
    case 'commitment':
      return record.dishonestUntil;
    case 'rectification':
      return null;
    default:
      return assertNever(record);
  }
};

export const expireRecord = (
  command: ExpireRecord,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): RecordExpired[] => {
  const { subjectId, recordId } = command.data;
  const record = findRecord(subject, recordId);
  if (record.status === 'revoked') {
    throw new RuleViolation('RECORD.ALREADY_REVOKED', `Record ${recordId} was revoked`, { recordId });
  }
  if (record.status === 'expired') {
    throw new Conflict('RECORD.ALREADY_EXPIRED', `Record ${recordId} has already expired`, { recordId });
  }
  const expiresOn = expiryOf(record);
  if (expiresOn === null) {
    throw new RuleViolation('RECORD.NO_VALIDITY_PERIOD', `Record ${recordId} has no validity period`, {
      recordId,
    });
  }
  if (today < expiresOn) {
    throw new RuleViolation('RECORD.STILL_VALID', `Record ${recordId} is valid until ${expiresOn}`, {
      recordId,
      expiresOn,
    });
  }
  return [{ type: 'RecordExpired', data: { subjectId, recordId, expiredOn: today } }];
};
