// Pending time-driven changes (DESIGN.md "Time-driven changes are events"): one document per command the
// scheduler will issue, with the first Beijing date on which the domain accepts it. The scheduler reads
// `sortKeyUpTo = today`; the events that settle a change remove its document.
//
// Due dates, as the deciders in libs/domain/src/subject/decisions decide them:
// - EndPublicity: `today < maximumPeriodEndsOn` is refused (PUBLICITY.MAXIMUM_NOT_REACHED) → due ON
//   `publicity.maximumPeriodEndsOn`. For every active penalty, restricted ones too: EndPublicity does not
//   look at disclosure, and a restricted penalty counts for lists until its publicity ends.
// - ExpireRecord: `today < expiresOn` is refused (RECORD.STILL_VALID) → due ON `expiresOn` (penalties,
//   honours) or `dishonestUntil` (a breached commitment). Kept commitments and notices never expire.
// - MarkCommitmentDue: refused before `commitmentFallsDueOn` (COMMITMENT.NOT_YET_DUE) → due ON that date.
// - MarkRectificationOverdue: refused before `rectificationOverdueOn` (RECTIFICATION.DEADLINE_NOT_PASSED) →
//   due ON that date.
// The last two are the domain's functions, asked here with the dates the events carry: no rule is restated.
// None of the four consults the working calendar, so no due date depends on a year's holiday arrangement.
//
// A clock that stopped but may start again keeps a `waiting` document (no due date, no sort key, so no
// listing by due date or command ever shows it): a repaired penalty's publicity, which a breached repair
// commitment restores (PublicityExtendedToMaximum), and a signed commitment's expiry, which only a breach
// starts (CommitmentOutcomeRecorded). Those events do not carry the subject's jurisdiction, and a fold
// sees only its own document, so the waiting document remembers it.
import { commitmentFallsDueOn, rectificationOverdueOn, type IsoDate } from '@ledger/domain';
import { singleStreamProjection } from '../projection';
import { isSubjectEvent, type StoredSubjectEvent } from './subject-events';

export const deadlineCommands = [
  'EndPublicity',
  'ExpireRecord',
  'MarkCommitmentDue',
  'MarkRectificationOverdue',
] as const;
export type DeadlineCommand = (typeof deadlineCommands)[number];

interface DeadlineBase {
  readonly subjectId: string;
  readonly recordId: string;
  readonly command: DeadlineCommand;
  /** The subject's 6-digit division code. */
  readonly jurisdiction: string;
  readonly lastPosition: number;
}

/** A change the scheduler will make once `dueOn` (a Beijing date) has come. */
export interface Deadline extends DeadlineBase {
  readonly status: 'pending';
  /** The first Beijing date on which the domain accepts the command. */
  readonly dueOn: IsoDate;
  /** Id of the event that started or moved the clock: the scheduler's command names it as its cause. */
  readonly startedBy: string;
}

/** A clock that is not running but that a later event may start; never due. */
export interface WaitingClock extends DeadlineBase {
  readonly status: 'waiting';
  readonly dueOn: null;
}

export type DeadlineDocument = Deadline | WaitingClock;

export const DEADLINES_PROJECTION = 'deadlines';

export const deadlineId = (recordId: string, command: DeadlineCommand): string => `${recordId}:${command}`;

export const isPendingDeadline = (doc: DeadlineDocument): doc is Deadline => doc.status === 'pending';

/**
 * The clocks each event type can touch, of the record it is about. RecordCorrected cannot change a date
 * (dates decide the periods: such a record is revoked and recorded again); objections, repair applications
 * and rejections stop no clock.
 */
const clocksTouchedBy: Partial<Record<StoredSubjectEvent['type'], readonly DeadlineCommand[]>> = {
  PenaltyRecorded: ['EndPublicity', 'ExpireRecord'],
  HonourRecorded: ['ExpireRecord'],
  CommitmentSigned: ['MarkCommitmentDue', 'ExpireRecord'],
  CommitmentOutcomeRecorded: ['MarkCommitmentDue', 'ExpireRecord'],
  CommitmentFellDue: ['MarkCommitmentDue'],
  RectificationNoticeIssued: ['MarkRectificationOverdue'],
  RectificationCompleted: ['MarkRectificationOverdue'],
  RectificationOverdue: ['MarkRectificationOverdue'],
  PublicityExtendedToMaximum: ['EndPublicity'],
  RepairApproved: ['EndPublicity'],
  PublicityEnded: ['EndPublicity'],
  RecordRevoked: deadlineCommands,
  RecordExpired: deadlineCommands,
};

function commandOfKey(key: string): DeadlineCommand {
  const command = key.slice(key.lastIndexOf(':') + 1);
  if (!(deadlineCommands as readonly string[]).includes(command))
    throw new Error(`Not a deadline key: ${key}`);
  return command as DeadlineCommand;
}

export const deadlinesProjection = singleStreamProjection<DeadlineDocument>({
  name: DEADLINES_PROJECTION,
  version: 1,
  eventTypes: Object.keys(clocksTouchedBy),
  // Keyed by record: a record lives in its subject's stream, and record ids are unique across subjects.
  documentIds: (event) => {
    if (!isSubjectEvent(event)) return [];
    const commands = clocksTouchedBy[event.type];
    if (commands === undefined) return [];
    const { recordId } = event.data as { recordId: string };
    return commands.map((command) => deadlineId(recordId, command));
  },
  evolve(doc, event, key) {
    if (!isSubjectEvent(event)) return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const command = commandOfKey(key);
    const { subjectId, recordId } = event.data as { subjectId: string; recordId: string };
    const pending = (jurisdiction: string, dueOn: IsoDate): Deadline => ({
      status: 'pending',
      subjectId,
      recordId,
      command,
      dueOn,
      jurisdiction,
      startedBy: event.id,
      lastPosition: event.position,
    });
    const waiting = (jurisdiction: string): WaitingClock => ({
      status: 'waiting',
      subjectId,
      recordId,
      command,
      dueOn: null,
      jurisdiction,
      lastPosition: event.position,
    });
    switch (event.type) {
      case 'PenaltyRecorded': {
        const { subject, publicity, expiresOn } = event.data;
        return pending(
          subject.jurisdiction,
          command === 'EndPublicity' ? publicity.maximumPeriodEndsOn : expiresOn,
        );
      }
      case 'HonourRecorded':
        return pending(event.data.subject.jurisdiction, event.data.expiresOn);
      case 'CommitmentSigned': {
        const { subject, commitment } = event.data;
        return command === 'MarkCommitmentDue'
          ? pending(subject.jurisdiction, commitmentFallsDueOn(commitment))
          : waiting(subject.jurisdiction);
      }
      case 'CommitmentOutcomeRecorded': {
        // Assessed: no longer in force (COMMITMENT.NOT_IN_FORCE); a breach counts until dishonestUntil.
        const { dishonestUntil } = event.data;
        if (command === 'MarkCommitmentDue' || !doc || dishonestUntil === undefined) return null;
        return pending(doc.jurisdiction, dishonestUntil);
      }
      case 'PublicityExtendedToMaximum':
        // The penalty is active again (or still) until `until`: its publicity ends then.
        return doc ? pending(doc.jurisdiction, event.data.until) : null;
      case 'RepairApproved':
        // Repaired: EndPublicity is refused (PUBLICITY.NOT_ACTIVE) unless a breach republishes it.
        return doc ? waiting(doc.jurisdiction) : null;
      case 'RectificationNoticeIssued': {
        const { subject, notice } = event.data;
        return pending(subject.jurisdiction, rectificationOverdueOn(notice));
      }
      case 'CommitmentFellDue':
      case 'RectificationCompleted':
      case 'RectificationOverdue':
      case 'PublicityEnded':
      case 'RecordRevoked':
      case 'RecordExpired':
        return null;
      default:
        return doc ?? null;
    }
  },
  index: (doc) =>
    isPendingDeadline(doc)
      ? { jurisdiction: doc.jurisdiction, kind: doc.command, sortKey: doc.dueOn }
      : { jurisdiction: doc.jurisdiction },
});
