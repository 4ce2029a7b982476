import { addWorkingDays } from '../../calendar/working-calendar';
import { assertNever } from '../../decider';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../../errors';
import type { CreditRecord } from '../credit-record';
import type { FileObjection, ResolveObjection } from '../subject.commands';
import type { ObjectionFiled, ObjectionResolved, RecordCorrected } from '../subject.events';
import { objectionById, type RegisteredSubject } from '../subject.state';
import { requireText } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { effectiveCorrections } from './record-corrections';
import { findRecord } from './record-lookup';

const isClosed = (record: CreditRecord): 'revoked' | 'expired' | null =>
  record.status === 'revoked' || record.status === 'expired' ? record.status : null;

/** Objection handling (异议处理): the record is flagged disputed at once, and a decision is due. */
export const fileObjection = (
  command: FileObjection,
  subject: RegisteredSubject,
  { today, policy, calendar }: DecisionContext,
): ObjectionFiled[] => {
  const { subjectId, recordId, objectionId, grounds, requiresExternalVerification } = command.data;
  requireText('objectionId', objectionId);
  if (objectionById(subject, objectionId) !== undefined) {
    throw new Conflict('OBJECTION.DUPLICATE_ID', `Objection ${objectionId} already exists`, { objectionId });
  }
  requireText('grounds', grounds);
  const record = findRecord(subject, recordId);
  const closed = isClosed(record);
  if (closed !== null) {
    throw new RuleViolation(
      closed === 'revoked' ? 'RECORD.ALREADY_REVOKED' : 'RECORD.ALREADY_EXPIRED',
      `Record ${recordId} is ${closed}`,
      {
        recordId,
      },
    );
  }
  if (record.disputedBy !== null) {
    throw new Conflict(
      'OBJECTION.ALREADY_OPEN',
      `Record ${recordId} is already disputed by ${record.disputedBy}`,
      {
        recordId,
        objectionId: record.disputedBy,
      },
    );
  }
  const workingDays = requiresExternalVerification
    ? policy.objections.decisionWorkingDaysWithExternalVerification
    : policy.objections.decisionWorkingDays;
  return [
    {
      type: 'ObjectionFiled',
      data: {
        subjectId,
        recordId,
        objectionId,
        grounds,
        requiresExternalVerification,
        filedOn: today,
        decisionDueBy: addWorkingDays(calendar, today, workingDays),
      },
    },
  ];
};

export const resolveObjection = (
  command: ResolveObjection,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): Array<ObjectionResolved | RecordCorrected> => {
  const { subjectId, objectionId, outcome, reason, corrections } = command.data;
  const objection = objectionById(subject, objectionId);
  if (objection === undefined) {
    throw new NotFound('OBJECTION.NOT_FOUND', `No objection ${objectionId}`, { objectionId });
  }
  if (objection.status !== 'open') {
    throw new Conflict('OBJECTION.ALREADY_RESOLVED', `Objection ${objectionId} is already resolved`, {
      objectionId,
    });
  }
  requireText('reason', reason);
  const { recordId } = objection;
  const resolved: ObjectionResolved = {
    type: 'ObjectionResolved',
    data: {
      subjectId,
      recordId,
      objectionId,
      recordOutcome: outcome,
      reason,
      resolvedOn: today,
      withinDeadline: today <= objection.decisionDueBy,
      decisionDueBy: objection.decisionDueBy,
    },
  };
  switch (outcome) {
    case 'upheld':
      return [resolved];
    case 'corrected': {
      if (corrections === undefined) {
        throw new InvalidInput(
          'OBJECTION.CORRECTIONS_REQUIRED',
          'A corrected outcome states the corrections',
          {
            objectionId,
          },
        );
      }
      const changed = effectiveCorrections(findRecord(subject, recordId), corrections);
      return [
        resolved,
        {
          type: 'RecordCorrected',
          data: { subjectId, recordId, corrections: changed, reason, objectionId, correctedOn: today },
        },
      ];
    }
    default:
      return assertNever(outcome);
  }
};
