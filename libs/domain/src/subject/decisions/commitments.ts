import { addMonths, requireIsoDate } from '../../calendar/iso-date';
import { Conflict, InvalidInput, RuleViolation } from '../../errors';
import { parseCommitmentCode, type CommitmentCodeParts } from '../../identifiers/commitment-code';
import { divisionContains } from '../../identifiers/division-code';
import { commitmentFallsDueOn, type CommitmentDetails } from '../commitment';
import type { MarkCommitmentDue, RecordCommitmentOutcome, SignCommitment } from '../subject.commands';
import type {
  CommitmentFellDue,
  CommitmentOutcomeRecorded,
  CommitmentSigned,
  PublicityExtendedToMaximum,
  RepairRejected,
} from '../subject.events';
import { recordById, type RegisteredSubject } from '../subject.state';
import { isBlank, requirePastDate, requireText, requireUscc, withoutUndefined } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { findRecordOfKind, requireNewRecordId } from './record-lookup';

/**
 * The code repeats what the commitment says (REFERENCE.md: division + date made + serial): its date is the date
 * made, and its division is where the commitment was made, so it lies on the subject's own branch of divisions
 * (the subject's county, its city or its province, or a county below a city-level subject).
 */
const requireCodeMatches = (
  code: CommitmentCodeParts,
  text: string,
  madeOn: string,
  jurisdiction: string,
): void => {
  if (code.dateMade !== madeOn) {
    throw new InvalidInput(
      'COMMITMENT.CODE_DATE_MISMATCH',
      `The code ${text} says it was made on ${code.dateMade}, not on madeOn ${madeOn}`,
      { field: 'code', codeDate: code.dateMade, madeOn },
    );
  }
  if (!divisionContains(code.divisionCode, jurisdiction) && !divisionContains(jurisdiction, code.divisionCode)) {
    throw new InvalidInput(
      'COMMITMENT.CODE_DIVISION_MISMATCH',
      `The code's division ${code.divisionCode} is not on the branch of the subject's jurisdiction ${jurisdiction}`,
      { field: 'code', codeDivision: code.divisionCode, jurisdiction },
    );
  }
};

export const signCommitment = (
  command: SignCommitment,
  subject: RegisteredSubject,
  { today, policy }: DecisionContext,
): CommitmentSigned[] => {
  const data = command.data;
  requireNewRecordId(subject, data.recordId);
  const code = parseCommitmentCode(data.code);
  if (code === undefined) {
    throw new InvalidInput(
      'COMMITMENT.INVALID_CODE',
      `${data.code} is not a commitment code (6-digit division, 8-digit date, 6-digit serial)`,
      { field: 'code', code: data.code },
    );
  }
  requireText('reason', data.reason);
  requireText('content', data.content);
  requireText('liabilityOnBreach', data.liabilityOnBreach);
  requireText('acceptingUnit.name', data.acceptingUnit.name);
  requireUscc('acceptingUnit.uscc', data.acceptingUnit.uscc);
  requirePastDate('madeOn', data.madeOn, today);
  requireIsoDate('validUntil', data.validUntil);
  requireCodeMatches(code, data.code, data.madeOn, subject.summary.jurisdiction);
  const earliestMadeOn = addMonths(today, -policy.commitments.madeAtMostMonthsAgo);
  if (data.madeOn < earliestMadeOn) {
    throw new InvalidInput(
      'COMMITMENT.MADE_TOO_LONG_AGO',
      `madeOn ${data.madeOn} is more than ${policy.commitments.madeAtMostMonthsAgo} months ago (before ${earliestMadeOn})`,
      { field: 'madeOn', madeOn: data.madeOn, earliestMadeOn },
    );
  }
  if (data.validUntil < data.madeOn) {
    throw new InvalidInput(
      'COMMITMENT.VALIDITY_BEFORE_DATE_MADE',
      'A commitment cannot end before it is made',
      {
        field: 'validUntil',
        madeOn: data.madeOn,
        validUntil: data.validUntil,
      },
    );
  }
  const latestValidUntil = addMonths(data.madeOn, policy.commitments.maximumValidityMonths);
  if (data.validUntil > latestValidUntil) {
    throw new InvalidInput(
      'COMMITMENT.VALIDITY_TOO_LONG',
      `validUntil ${data.validUntil} is more than ${policy.commitments.maximumValidityMonths} months after madeOn (${latestValidUntil} at most)`,
      { field: 'validUntil', validUntil: data.validUntil, latestValidUntil },
    );
  }
  const duplicate = subject.records.find(
    (record) =>
      record.kind === 'commitment' && record.status !== 'revoked' && record.commitment.code === data.code,
  );
  if (duplicate !== undefined) {
    throw new Conflict('COMMITMENT.DUPLICATE_CODE', `Commitment ${data.code} is already recorded`, {
      code: data.code,
      recordId: duplicate.recordId,
    });
  }
  if (data.type === 'credit_repair') {
    if (data.relatedPenaltyId === undefined) {
      throw new InvalidInput(
        'COMMITMENT.RELATED_PENALTY_REQUIRED',
        'A repair commitment names the penalty it repairs',
        {},
      );
    }
    findRecordOfKind(subject, data.relatedPenaltyId, 'penalty');
  }
  const commitment: CommitmentDetails = withoutUndefined({
    code: data.code,
    type: data.type,
    reason: data.reason,
    content: data.content,
    liabilityOnBreach: data.liabilityOnBreach,
    madeOn: data.madeOn,
    validUntil: data.validUntil,
    acceptingUnit: { name: data.acceptingUnit.name, uscc: data.acceptingUnit.uscc },
    disclosure: data.disclosure,
    relatedPenaltyId: data.type === 'credit_repair' ? data.relatedPenaltyId : undefined,
  });
  return [
    {
      type: 'CommitmentSigned',
      data: { subjectId: data.subjectId, subject: subject.summary, recordId: data.recordId, commitment },
    },
  ];
};

export const markCommitmentDue = (
  command: MarkCommitmentDue,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): CommitmentFellDue[] => {
  const { subjectId, recordId } = command.data;
  const record = findRecordOfKind(subject, recordId, 'commitment');
  if (record.status !== 'in_force') {
    throw new RuleViolation('COMMITMENT.NOT_IN_FORCE', `Commitment ${recordId} is ${record.status}`, {
      recordId,
      status: record.status,
    });
  }
  const { validUntil } = record.commitment;
  if (today < commitmentFallsDueOn(record.commitment)) {
    throw new RuleViolation('COMMITMENT.NOT_YET_DUE', `Commitment ${recordId} binds until ${validUntil}`, {
      recordId,
      validUntil,
    });
  }
  return [{ type: 'CommitmentFellDue', data: { subjectId, recordId, validUntil } }];
};

/**
 * A breached repair commitment (信用修复型) undoes the repair it was made for: the penalty is published
 * again until its maximum period, and a pending repair application about it is rejected.
 */
const consequencesOfBreachedRepairCommitment = (
  subject: RegisteredSubject,
  commitmentId: string,
  penaltyId: string,
  { today, policy }: DecisionContext,
): Array<RepairRejected | PublicityExtendedToMaximum> => {
  const penalty = recordById(subject, penaltyId);
  if (!policy.repair.breachedRepairCommitmentRestoresMaximumPublicity || penalty?.kind !== 'penalty')
    return [];
  if (!(penalty.status === 'active' || penalty.status === 'repaired')) return [];
  const until = penalty.publicity.maximumPeriodEndsOn;
  if (today >= until) return [];
  const subjectId = subject.subjectId;
  const rejection: RepairRejected[] =
    penalty.pendingRepair === null
      ? []
      : [
          {
            type: 'RepairRejected',
            data: {
              subjectId,
              recordId: penaltyId,
              applicationId: penalty.pendingRepair,
              reason: `Repair commitment ${commitmentId} was not kept`,
              decidedOn: today,
            },
          },
        ];
  return [
    ...rejection,
    {
      type: 'PublicityExtendedToMaximum',
      data: {
        subjectId,
        subject: subject.summary,
        recordId: penaltyId,
        breachedCommitmentId: commitmentId,
        until,
        // The penalty as it is published again, so read models that had dropped it can restore it.
        penalty: penalty.penalty,
        severity: penalty.severity,
        publicity: { ...penalty.publicity, maximumPeriodEndsOn: until },
      },
    },
  ];
};

export const recordCommitmentOutcome = (
  command: RecordCommitmentOutcome,
  subject: RegisteredSubject,
  context: DecisionContext,
): Array<CommitmentOutcomeRecorded | RepairRejected | PublicityExtendedToMaximum> => {
  const { today, policy } = context;
  const { subjectId, recordId, outcome, unkeptContent, liabilityPursued } = command.data;
  const record = findRecordOfKind(subject, recordId, 'commitment');
  if (record.status === 'assessed') {
    throw new Conflict('COMMITMENT.OUTCOME_ALREADY_RECORDED', `Commitment ${recordId} was already assessed`, {
      recordId,
      outcome: record.outcome,
    });
  }
  if (record.status !== 'in_force' && record.status !== 'due') {
    throw new RuleViolation('COMMITMENT.NOT_IN_FORCE', `Commitment ${recordId} is ${record.status}`, {
      recordId,
      status: record.status,
    });
  }
  if (outcome !== 'kept' && isBlank(unkeptContent)) {
    throw new InvalidInput('COMMITMENT.BREACH_DETAILS_REQUIRED', 'Say what was not kept', {
      field: 'unkeptContent',
    });
  }
  if (outcome !== 'kept' && isBlank(liabilityPursued)) {
    throw new InvalidInput('COMMITMENT.BREACH_DETAILS_REQUIRED', 'Say what liability was pursued', {
      field: 'liabilityPursued',
    });
  }
  const dishonest = policy.commitments.dishonestOutcomes.includes(outcome);
  const recorded: CommitmentOutcomeRecorded = {
    type: 'CommitmentOutcomeRecorded',
    data: withoutUndefined({
      subjectId,
      recordId,
      outcome,
      assessedOn: today,
      unkeptContent: outcome === 'kept' ? undefined : unkeptContent,
      liabilityPursued: outcome === 'kept' ? undefined : liabilityPursued,
      dishonest,
      dishonestUntil: dishonest ? addMonths(today, policy.recordValidityMonths) : undefined,
    }),
  };
  const { type, relatedPenaltyId } = record.commitment;
  const consequences =
    dishonest && type === 'credit_repair' && relatedPenaltyId !== undefined
      ? consequencesOfBreachedRepairCommitment(subject, recordId, relatedPenaltyId, context)
      : [];
  return [recorded, ...consequences];
};
