// Runs subject commands for every caller (HTTP, scheduler, CLI): adds what a decision needs from outside
// (time, actor, the policy in force, the working calendar) and goes through the one command handler.
import {
  chinaWorkingCalendar,
  policyFor,
  subjectDecider,
  toSubjectStreamId,
  type SubjectCommand,
  type SubjectEvent,
  type SubjectState,
  type WorkingCalendar,
} from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import {
  handleCommand,
  type CommandContext,
  type CommandResult,
  type WithoutMetadata,
} from './command-handler';
import { StreamStateCache } from './stream-state-cache';

/** A subject command as a caller states it; the metadata is added here. */
export type SubjectCommandRequest = WithoutMetadata<SubjectCommand>;

export interface SubjectCommandsOptions {
  readonly policyVersion: string;
  readonly calendar?: () => WorkingCalendar;
}

export class SubjectCommands {
  /** Folded subject states between commands; per process, bounded. */
  private readonly cache = new StreamStateCache<SubjectState>(10_000);

  constructor(
    private readonly store: EventStore,
    private readonly options: SubjectCommandsOptions,
  ) {}

  execute(
    request: SubjectCommandRequest,
    context: Omit<CommandContext, 'policyVersion'>,
  ): Promise<CommandResult> {
    const policy = policyFor(this.options.policyVersion);
    const command = {
      ...request,
      metadata: {
        now: context.now,
        actor: context.actor,
        policy,
        calendar: this.options.calendar?.() ?? chinaWorkingCalendar,
      },
    } as SubjectCommand;
    return handleCommand(
      this.store,
      subjectDecider,
      toSubjectStreamId(request.data.subjectId),
      command,
      {
        ...context,
        policyVersion: policy.version,
      },
      { occurredAt: businessTimeOf },
      this.cache,
    );
  }
}

/** When the thing happened in the world, where the event says so (a decision date, a date made). */
function businessTimeOf(event: SubjectEvent, now: string): string {
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
  return date ? `${date}T00:00:00+08:00` : now;
}
