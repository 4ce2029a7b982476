// The runner of one aggregate's commands, built from a small table, for every caller (HTTP, scheduler,
// CLI, Kafka): it adds what a decision needs from outside (time, actor, the policy in force, the working
// calendar) and goes through the one command handler. Each aggregate is an instance: SubjectCommands,
// DisciplineCases.
import {
  chinaWorkingCalendar,
  type CommandMetadata,
  type CreditPolicy,
  type Decider,
  type WorkingCalendar,
} from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { handleCommand, type CommandResult, type RequestContext } from './command-handler';
import type { StreamStateCache } from './stream-state-cache';

/** A command as a caller states it: the decision metadata (time, actor, policy, calendar) is added by the runner. */
export type WithoutMetadata<Command> = Command extends unknown ? Omit<Command, 'metadata'> : never;

/** What a deployment chooses for every runner. */
export interface CommandRunnerOptions {
  /** Policy a command is decided under when its request names none. */
  readonly policyVersion: string;
  /** Asked at every decision (default: the bundled national calendar). */
  readonly calendar?: () => WorkingCalendar;
}

/** What one aggregate brings to its runner. */
export interface CommandTable<Command, Event, State> extends CommandRunnerOptions {
  readonly decider: Decider<Command, Event, State>;
  /** The stream a command is decided on. */
  readonly streamIdOf: (request: WithoutMetadata<Command>) => string;
  /** Business time an event carries itself (a decision date); otherwise the request's, otherwise its `now`. */
  readonly occurredAt?: (event: Event) => string | undefined;
  /** The policy in force for a request, by version (the request's, else the runner's). */
  readonly policyOf: (version: string, request: WithoutMetadata<Command>) => CreditPolicy;
  /** Folded states kept between commands, when the aggregate's streams are worth keeping. */
  readonly cache?: StreamStateCache<State>;
}

const bundledCalendar = () => chinaWorkingCalendar;

export class CommandRunner<
  Command extends { readonly metadata: CommandMetadata },
  Event extends { readonly type: string; readonly data: unknown },
  State,
> {
  constructor(
    protected readonly store: EventStore,
    private readonly table: CommandTable<Command, Event, State>,
  ) {}

  execute(request: WithoutMetadata<Command>, context: RequestContext): Promise<CommandResult> {
    const { table } = this;
    const policy = table.policyOf(context.policyVersion ?? table.policyVersion, request);
    const metadata: CommandMetadata = {
      now: context.now,
      actor: context.actor,
      policy,
      calendar: (table.calendar ?? bundledCalendar)(),
    };
    return handleCommand({
      store: this.store,
      decider: table.decider,
      streamId: table.streamIdOf(request),
      // The request and its metadata make the command; TypeScript cannot see through the distributive Omit.
      command: { ...request, metadata } as unknown as Command,
      request: { ...context, policyVersion: policy.version },
      occurredAt: table.occurredAt,
      cache: table.cache,
    });
  }
}
