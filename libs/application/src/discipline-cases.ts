// Joint-discipline case commands for every caller (the case initiator, the feedback consumer, the HTTP
// edge): one stream per case, business time as the request states it (a department's decision time), and
// a case's jurisdiction choosing its policy. Also reads a case as a person does.
import {
  caseStatusOf,
  disciplineCaseDecider,
  policyFor,
  toCaseStreamId,
  upcastEvent,
  type DisciplineCaseCommand,
  type DisciplineCaseEvent,
  type DisciplineCaseState,
  type DisciplineCaseStatus,
} from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { CommandRunner, type CommandRunnerOptions, type WithoutMetadata } from './command-runner';

/** A case command as a caller states it; the metadata is added by the runner. */
export type DisciplineCaseRequest = WithoutMetadata<DisciplineCaseCommand>;

export class DisciplineCases extends CommandRunner<
  DisciplineCaseCommand,
  DisciplineCaseEvent,
  DisciplineCaseState
> {
  constructor(store: EventStore, options: CommandRunnerOptions) {
    super(store, {
      ...options,
      decider: disciplineCaseDecider,
      streamIdOf: ({ data }) => toCaseStreamId(data.caseId),
      policyOf: (version, request) =>
        policyFor(version, request.type === 'OpenCase' ? request.data.subject.jurisdiction : undefined),
    });
  }

  /** The case as it stands now; undefined when there is no such case. */
  async status(caseId: string): Promise<DisciplineCaseStatus | undefined> {
    return caseStatusOf((await this.store.readStream(toCaseStreamId(caseId))).map(upcastEvent));
  }
}
