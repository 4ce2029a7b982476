import { assertNever } from '../../decider';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../../errors';
import type { PenaltyRecord } from '../credit-record';
import type { ApplyForRepair, DecideRepair } from '../subject.commands';
import type { RepairApplied, RepairApproved, RepairRejected } from '../subject.events';
import { repairApplicationById, type RegisteredSubject } from '../subject.state';
import { isBlank, requireText } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { findRecord } from './record-lookup';

const notApplicable = (recordId: string, why: string, details: object = {}): RuleViolation =>
  new RuleViolation('REPAIR.NOT_APPLICABLE', `Record ${recordId} cannot be repaired: ${why}`, {
    recordId,
    ...details,
  });

/** Credit repair (信用修复) ends a penalty's publicity early; only an active penalty has publicity to end. */
const requireActivePenalty = (subject: RegisteredSubject, recordId: string): PenaltyRecord => {
  const record = findRecord(subject, recordId);
  if (record.kind !== 'penalty')
    throw notApplicable(recordId, `it is a ${record.kind}`, { kind: record.kind });
  if (record.status !== 'active')
    throw notApplicable(recordId, `it is ${record.status}`, { status: record.status });
  return record;
};

export const applyForRepair = (
  command: ApplyForRepair,
  subject: RegisteredSubject,
  { today, policy }: DecisionContext,
): RepairApplied[] => {
  const { subjectId, recordId, applicationId, correctionStatement } = command.data;
  requireText('applicationId', applicationId);
  if (repairApplicationById(subject, applicationId) !== undefined) {
    throw new Conflict(
      'REPAIR.DUPLICATE_APPLICATION_ID',
      `Repair application ${applicationId} already exists`,
      {
        applicationId,
      },
    );
  }
  requireText('correctionStatement', correctionStatement);
  const penalty = requireActivePenalty(subject, recordId);
  const barred = policy.repair.unrepairable.find((rule) =>
    rule.misconductCategories.includes(penalty.penalty.misconduct),
  );
  if (barred !== undefined) {
    throw new RuleViolation('REPAIR.RECORD_NOT_REPAIRABLE', barred.description, {
      recordId,
      reason: barred.reason,
    });
  }
  if (penalty.repairBarredBy !== null) {
    throw new RuleViolation(
      'REPAIR.BARRED_AFTER_COMMITMENT_BREACH',
      `Repair commitment ${penalty.repairBarredBy} was breached: the penalty stays published until ${penalty.publicity.maximumPeriodEndsOn}`,
      { recordId, breachedCommitmentId: penalty.repairBarredBy },
    );
  }
  if (penalty.pendingRepair !== null) {
    throw new Conflict(
      'REPAIR.APPLICATION_PENDING',
      `Application ${penalty.pendingRepair} is still pending`,
      {
        recordId,
        applicationId: penalty.pendingRepair,
      },
    );
  }
  const { minimumPeriodEndsOn, maximumPeriodEndsOn } = penalty.publicity;
  // A tier whose minimum is its maximum (minor: 3 months, REFERENCE.md) ends automatically; there is no
  // early end to ask for, on the day the period ends or any other (an application then would only race the
  // scheduler's EndPublicity).
  if (minimumPeriodEndsOn >= maximumPeriodEndsOn) {
    throw new RuleViolation(
      'REPAIR.PUBLICITY_ENDS_AUTOMATICALLY',
      `The publicity of ${recordId} (${penalty.severity} tier) ends automatically on ${maximumPeriodEndsOn}; it has no early end to apply for`,
      { recordId, severity: penalty.severity, publicityEndsOn: maximumPeriodEndsOn },
    );
  }
  const earliestDate = minimumPeriodEndsOn;
  if (today < earliestDate) {
    throw new RuleViolation(
      'REPAIR.MINIMUM_PERIOD_NOT_REACHED',
      `Repair may be requested from ${earliestDate}, when the minimum publicity period ends`,
      { recordId, earliestDate },
    );
  }
  return [
    {
      type: 'RepairApplied',
      data: { subjectId, recordId, applicationId, correctionStatement, appliedOn: today },
    },
  ];
};

export const decideRepair = (
  command: DecideRepair,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): Array<RepairApproved | RepairRejected> => {
  const { subjectId, applicationId, decision, reason } = command.data;
  const application = repairApplicationById(subject, applicationId);
  if (application === undefined) {
    throw new NotFound('REPAIR.APPLICATION_NOT_FOUND', `No repair application ${applicationId}`, {
      applicationId,
    });
  }
  if (application.status !== 'pending') {
    throw new Conflict(
      'REPAIR.ALREADY_DECIDED',
      `Application ${applicationId} was already ${application.status}`,
      {
        applicationId,
        status: application.status,
      },
    );
  }
  const { recordId } = application;
  switch (decision) {
    case 'approved':
      requireActivePenalty(subject, recordId);
      return [{ type: 'RepairApproved', data: { subjectId, recordId, applicationId, decidedOn: today } }];
    case 'rejected':
      if (reason === undefined || isBlank(reason)) {
        throw new InvalidInput('REPAIR.REJECTION_REASON_REQUIRED', 'A rejection states its reason', {
          applicationId,
        });
      }
      return [
        {
          type: 'RepairRejected',
          data: { subjectId, recordId, applicationId, reason, decidedOn: today },
        },
      ];
    default:
      return assertNever(decision);
  }
};
