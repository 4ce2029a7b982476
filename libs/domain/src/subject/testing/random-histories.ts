// Random subject histories for property tests: command sequences of every kind, decided one after the
// other as the edge would (refused commands leave no trace). Used by the decider's and the read models' specs.
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../calendar/iso-date';
import { DomainError } from '../../errors';
import type { SubjectCommand } from '../subject.commands';
import { subjectDecider } from '../subject.decider';
import type { SubjectEvent } from '../subject.events';
import type { SubjectState } from '../subject.state';
import { bureau, on, penaltyDetails, scheduler, schoolId } from './subject-fixtures';

const creatingActions = [
  'RecordPenalty',
  'RecordHonour',
  'SignCommitment',
  'IssueRectificationNotice',
] as const;
const followingActions = [
  'RegisterSubject',
  'MarkCommitmentDue',
  'RecordCommitmentOutcome',
  'CompleteRectification',
  'MarkRectificationOverdue',
  'ApplyForRepair',
  'DecideRepair',
  'FileObjection',
  'ResolveObjection',
  'CorrectRecord',
  'RevokeRecord',
  'EndPublicity',
  'ExpireRecord',
  'ReassessCredit',
] as const;
type Action = (typeof creatingActions)[number] | (typeof followingActions)[number];

const recordIds = ['penalty-0', 'penalty-1', 'honour-0', 'commitment-0', 'rectification-0'];

export interface Step {
  readonly action: Action;
  /** Which of two records, applications or objections of a kind the command is about. */
  readonly pick: number;
  /** Which record of any kind a record-level command (objection, correction, revocation, expiry) targets. */
  readonly target: number;
  readonly daysLater: number;
  readonly variant: boolean;
}

// Mostly short steps, sometimes long ones so that periods end and records expire.
const step: fc.Arbitrary<Step> = fc.record({
  action: fc.oneof(
    { arbitrary: fc.constantFrom(...creatingActions), weight: 1 },
    { arbitrary: fc.constantFrom(...followingActions), weight: 2 },
  ),
  pick: fc.nat(1),
  target: fc.nat(recordIds.length - 1),
  daysLater: fc.oneof({ arbitrary: fc.nat(20), weight: 4 }, { arbitrary: fc.nat(500), weight: 1 }),
  variant: fc.boolean(),
});

/** Turns a random step into a command of the right shape; whether it is accepted is up to the decider. */
const commandFor = ({ action, pick, target, variant }: Step, today: IsoDate): SubjectCommand => {
  const meta = on(today, variant ? { actor: scheduler } : {});
  const subjectId = schoolId;
  const recordId = recordIds[target];
  const serial = String(pick).padStart(6, '0');
  switch (action) {
    case 'RegisterSubject':
      return {
        type: action,
        data: variant
          ? {
              subjectId,
              kind: 'student',
              name: '李同学',
              identifier: '350203201005014569',
              jurisdiction: '350203',
            }
          : {
              subjectId,
              kind: 'private_school',
              name: '厦门阳光实验学校',
              identifier: '91350200776049653A',
              jurisdiction: '350203',
            },
        metadata: meta,
      };
    case 'RecordPenalty': {
      const { dataSource: _dataSource, ...details } = penaltyDetails({
        documentNumber: `厦教罚〔2025〕${pick}号`,
        decisionDate: addDays(today, -pick),
        categories: variant ? ['warning', 'licence_revoked'] : ['fine'],
        misconduct: pick === 1 ? 'academic_misconduct' : 'administrative_violation',
      });
      return {
        type: action,
        data: { subjectId, recordId: `penalty-${pick}`, ...details, severity: 'general' },
        metadata: meta,
      };
    }
    case 'RecordHonour':
      return {
        type: action,
        data: {
          subjectId,
          recordId: `honour-${pick}`,
          title: '文明校园',
          category: 'commendation',
          awardingBody: bureau,
          awardedOn: today,
        },
        metadata: meta,
      };
    case 'SignCommitment':
      return {
        type: action,
        data: {
          subjectId,
          recordId: `commitment-${pick}`,
          code: `35020320250101${serial}`,
          type: variant ? 'credit_repair' : 'voluntary',
          relatedPenaltyId: variant ? 'penalty-0' : undefined,
          reason: 'Repair',
          content: 'Will comply',
          liabilityOnBreach: 'Publicity for the maximum period',
          madeOn: today,
          validUntil: addDays(today, 30),
          acceptingUnit: bureau,
          disclosure: 'public',
        },
        metadata: meta,
      };
    case 'MarkCommitmentDue':
      return { type: action, data: { subjectId, recordId: `commitment-${pick}` }, metadata: meta };
    case 'RecordCommitmentOutcome':
      return {
        type: action,
        data: {
          subjectId,
          recordId: `commitment-${pick}`,
          outcome: variant ? 'not_kept' : 'kept',
          unkeptContent: 'Did not stop the classes',
          liabilityPursued: 'Republished',
        },
        metadata: meta,
      };
    case 'IssueRectificationNotice':
      return {
        type: action,
        data: {
          subjectId,
          recordId: 'rectification-0',
          noticeNumber: '整改1号',
          finding: 'Advance fees',
          requirements: 'Refund',
          issuedOn: today,
          deadline: addDays(today, 20),
          issuingAuthority: bureau,
        },
        metadata: meta,
      };
    case 'CompleteRectification':
      return {
        type: action,
        data: { subjectId, recordId: 'rectification-0', completedOn: today, verification: 'Checked' },
        metadata: meta,
      };
    case 'MarkRectificationOverdue':
      return { type: action, data: { subjectId, recordId: 'rectification-0' }, metadata: meta };
    case 'ApplyForRepair':
      return {
        type: action,
        data: {
          subjectId,
          recordId: `penalty-${pick}`,
          applicationId: `repair-${pick}`,
          correctionStatement: 'Corrected',
        },
        metadata: meta,
      };
    case 'DecideRepair':
      return {
        type: action,
        data: {
          subjectId,
          applicationId: `repair-${pick}`,
          decision: variant ? 'approved' : 'rejected',
          reason: 'Checked',
        },
        metadata: meta,
      };
    case 'FileObjection':
      return {
        type: action,
        data: {
          subjectId,
          recordId,
          objectionId: `objection-${pick}`,
          grounds: 'Wrong facts',
          requiresExternalVerification: variant,
        },
        metadata: meta,
      };
    case 'ResolveObjection':
      return {
        type: action,
        data: variant
          ? {
              subjectId,
              objectionId: `objection-${pick}`,
              outcome: 'corrected',
              reason: 'Fixed',
              corrections: { facts: `Facts ${today}` },
            }
          : { subjectId, objectionId: `objection-${pick}`, outcome: 'upheld', reason: 'Correct as recorded' },
        metadata: meta,
      };
    case 'CorrectRecord':
      return {
        type: action,
        data: { subjectId, recordId, corrections: { facts: `Facts ${today}` }, reason: 'Typo' },
        metadata: meta,
      };
    case 'RevokeRecord':
      return { type: action, data: { subjectId, recordId, reason: 'Annulled' }, metadata: meta };
    case 'EndPublicity':
    case 'ExpireRecord':
      return { type: action, data: { subjectId, recordId }, metadata: meta };
    case 'ReassessCredit':
      return { type: action, data: { subjectId }, metadata: meta };
  }
};

export interface Run {
  readonly state: SubjectState;
  readonly events: readonly SubjectEvent[];
  readonly decisions: ReadonlyArray<{ readonly command: SubjectCommand; readonly before: SubjectState }>;
}

/** Decides each command against the state so far; refused commands leave no trace, as at the edge. */
export const run = (steps: readonly Step[]): Run => {
  let today = '2025-01-06';
  let state = subjectDecider.initialState();
  const events: SubjectEvent[] = [];
  const decisions: Array<{ command: SubjectCommand; before: SubjectState }> = [];
  for (const current of steps) {
    today = addDays(today, current.daysLater);
    const command = commandFor(current, today);
    decisions.push({ command, before: state });
    try {
      const decided = subjectDecider.decide(command, state);
      state = decided.reduce(subjectDecider.evolve, state);
      events.push(...decided);
    } catch (error) {
      // Only expected rejections: anything else is a bug in the decider.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { state, events, decisions };
};

export const sequences = fc
  .array(step, { minLength: 1, maxLength: 60, size: 'max' })
  .map((steps) => [
    { action: 'RegisterSubject', pick: 0, target: 0, daysLater: 0, variant: false } as const,
    ...steps,
  ]);
