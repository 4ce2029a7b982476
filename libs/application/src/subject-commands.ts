// Subject commands for every caller (HTTP, scheduler, CLI): one stream per subject, business time from the
// event's own date, folded states kept between commands.
import {
  policyFor,
  subjectDecider,
  toSubjectStreamId,
  type SubjectCommand,
  type SubjectEvent,
  type SubjectState,
} from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { CommandRunner, type CommandRunnerOptions, type WithoutMetadata } from './command-runner';
import { StreamStateCache } from './stream-state-cache';

/** A subject command as a caller states it; the metadata is added by the runner. */
export type SubjectCommandRequest = WithoutMetadata<SubjectCommand>;

export class SubjectCommands extends CommandRunner<SubjectCommand, SubjectEvent, SubjectState> {
  constructor(store: EventStore, options: CommandRunnerOptions) {
    super(store, {
      ...options,
      decider: subjectDecider,
      streamIdOf: ({ data }) => toSubjectStreamId(data.subjectId),
      occurredAt: businessTimeOf,
      policyOf: (version) => policyFor(version),
      // Per process, bounded.
      cache: new StreamStateCache(10_000),
    });
  }
}

/** When the thing happened in the world, where the event says so (a decision date, a date made). */
function businessTimeOf(event: SubjectEvent): string | undefined {
  const date = (() => {
    switch (event.type) {
      case 'PenaltyRecorded':
        return event.data.penalty.decisionDate;
      case 'HonourRecorded':
        return event.data.honour.awardedOn;
      case 'CommitmentSigned':
        return event.data.commitment.madeOn;
      case 'RectificationNoticeIssued':
        return event.data.notice.issuedOn;
      default:
        return undefined;
    }
  })();
  // Business dates are Beijing dates: midnight there is the start of the day the decision bears.
  return date ? `${date}T00:00:00+08:00` : undefined;
}
