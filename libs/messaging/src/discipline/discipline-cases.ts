// Runs case commands for every caller (the case initiator, the feedback consumer, the HTTP edge) through
// the one command handler, adding what the decider needs from outside: time, actor, policy, calendar.
import {
  chinaWorkingCalendar,
  disciplineCaseDecider,
  policyFor,
  toCaseStreamId,
  type DisciplineCaseCommand,
  type WorkingCalendar,
} from '@ledger/domain';
import {
  handleCommand,
  type CommandContext,
  type CommandResult,
  type WithoutMetadata,
} from '@ledger/application';
import type { EventStore } from '@ledger/event-store';
import { caseStatusOf, type DisciplineCaseStatus } from './case-status';

/** A case command as a caller states it; the metadata is added here. */
export type DisciplineCaseRequest = WithoutMetadata<DisciplineCaseCommand>;

export interface DisciplineCasesOptions {
  /** Policy applied when the caller does not name one (a case opened from an event uses the event's). */
  readonly policyVersion: string;
  readonly calendar?: () => WorkingCalendar;
}

export type CaseCommandContext = Omit<CommandContext, 'policyVersion'> & {
  readonly policyVersion?: string;
  /** Business time of the events, when it is not the request time (a department's decision time). */
  readonly occurredAt?: string;
};

export class DisciplineCases {
  constructor(
    private readonly store: EventStore,
    private readonly options: DisciplineCasesOptions,
  ) {}

  execute(request: DisciplineCaseRequest, context: CaseCommandContext): Promise<CommandResult> {
    const jurisdiction = request.type === 'OpenCase' ? request.data.subject.jurisdiction : undefined;
    const policy = policyFor(context.policyVersion ?? this.options.policyVersion, jurisdiction);
    const command = {
      ...request,
      metadata: {
        now: context.now,
        actor: context.actor,
        policy,
        calendar: this.options.calendar?.() ?? chinaWorkingCalendar,
      },
    } as DisciplineCaseCommand;
    const { occurredAt, ...commandContext } = context;
    return handleCommand(
      this.store,
      disciplineCaseDecider,
      toCaseStreamId(request.data.caseId),
      command,
      { ...commandContext, policyVersion: policy.version },
      { occurredAt: occurredAt === undefined ? undefined : () => occurredAt },
    );
  }

  /** The case as it stands now; undefined when there is no such case. */
  async status(caseId: string): Promise<DisciplineCaseStatus | undefined> {
    return caseStatusOf(await this.store.readStream(toCaseStreamId(caseId)));
  }
}
