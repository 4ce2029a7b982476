// The subject aggregate: one stream per credit subject, holding all its records.
import { assertNever, type Decider } from '../decider';
import { NotFound } from '../errors';
import { recordCommitmentOutcome, markCommitmentDue, signCommitment } from './decisions/commitments';
import { requireActorCovers } from '../input-checks';
import { decisionContextOf, type DecisionContext } from './decisions/decision-context';
import { fileObjection, resolveObjection } from './decisions/objections';
import { correctRecord, endPublicity, expireRecord, revokeRecord } from './decisions/record-lifecycle';
import { recordHonour } from './decisions/record-honour';
import { recordPenalty } from './decisions/record-penalty';
import {
  completeRectification,
  issueRectificationNotice,
  markRectificationOverdue,
} from './decisions/rectifications';
import { registerSubject } from './decisions/register-subject';
import { answerReportConfirmation, requestReportConfirmation } from './decisions/report-confirmations';
import { applyForRepair, decideRepair } from './decisions/repairs';
import { standingChanges } from './decisions/standing-changes';
import type { SubjectCommand } from './subject.commands';
import type { SubjectEvent } from './subject.events';
import {
  evolveSubject,
  initialSubjectState,
  type RegisteredSubject,
  type SubjectState,
} from './subject.state';

const decideForRegistered = (
  command: Exclude<SubjectCommand, { type: 'RegisterSubject' }>,
  subject: RegisteredSubject,
  context: DecisionContext,
): readonly SubjectEvent[] => {
  switch (command.type) {
    case 'RecordPenalty':
      return recordPenalty(command, subject, context);
    case 'RecordHonour':
      return recordHonour(command, subject, context);
    case 'SignCommitment':
      return signCommitment(command, subject, context);
    case 'MarkCommitmentDue':
      return markCommitmentDue(command, subject, context);
    case 'RecordCommitmentOutcome':
      return recordCommitmentOutcome(command, subject, context);
    case 'IssueRectificationNotice':
      return issueRectificationNotice(command, subject, context);
    case 'CompleteRectification':
      return completeRectification(command, subject, context);
    case 'MarkRectificationOverdue':
      return markRectificationOverdue(command, subject, context);
    case 'ApplyForRepair':
      return applyForRepair(command, subject, context);
    case 'DecideRepair':
      return decideRepair(command, subject, context);
    case 'FileObjection':
      return fileObjection(command, subject, context);
    case 'ResolveObjection':
      return resolveObjection(command, subject, context);
    case 'CorrectRecord':
      return correctRecord(command, subject, context);
    case 'RevokeRecord':
      return revokeRecord(command, subject, context);
    case 'EndPublicity':
      return endPublicity(command, subject, context);
    case 'ExpireRecord':
      return expireRecord(command, subject, context);
    case 'ReassessCredit':
      return [];
    case 'RequestReportConfirmation':
      return requestReportConfirmation(command, subject, context);
    case 'AnswerReportConfirmation':
      return answerReportConfirmation(command, subject, context);
    default:
      return assertNever(command);
  }
};

const decideRecordEvents = (
  command: SubjectCommand,
  state: SubjectState,
  context: DecisionContext,
): readonly SubjectEvent[] => {
  if (command.type === 'RegisterSubject') return registerSubject(command, state, context);
  if (state.status === 'unregistered') {
    throw new NotFound('SUBJECT.NOT_REGISTERED', `Subject ${command.data.subjectId} is not registered`, {
      subjectId: command.data.subjectId,
    });
  }
  requireActorCovers(context.actor, state.summary.jurisdiction);
  return decideForRegistered(command, state, context);
};

/**
 * Decides the events for a command, then announces every list or grade change they cause, so that
 * lists change only through events.
 */
export const decideSubject = (command: SubjectCommand, state: SubjectState): readonly SubjectEvent[] => {
  const context = decisionContextOf(command.metadata);
  const events = decideRecordEvents(command, state, context);
  const after = events.reduce(evolveSubject, state);
  return after.status === 'registered' ? [...events, ...standingChanges(after, context)] : events;
};

export const subjectDecider: Decider<SubjectCommand, SubjectEvent, SubjectState> = {
  decide: decideSubject,
  evolve: evolveSubject,
  initialState: initialSubjectState,
};
