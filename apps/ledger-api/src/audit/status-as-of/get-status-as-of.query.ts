// A subject's credit status at an instant, on record or business time, folded from its events.
import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { foldStatusAsOf, subjectEventsAsOf, type SubjectStatusAsOf, type TimeAxis } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';

export class GetStatusAsOf {
  constructor(
    readonly subjectId: string,
    readonly asOf: string,
    readonly by: TimeAxis,
    readonly knownAt?: string,
  ) {}
}

@QueryHandler(GetStatusAsOf)
export class GetStatusAsOfHandler implements IQueryHandler<GetStatusAsOf, SubjectStatusAsOf> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ subjectId, asOf, by, knownAt }: GetStatusAsOf): Promise<SubjectStatusAsOf> {
    const options = { asOf, by, knownAt: by === 'business' ? knownAt : undefined };
    const status = foldStatusAsOf(
      subjectId,
      await subjectEventsAsOf(this.store, subjectId, options),
      options,
    );
    if (!status) {
      throw new NotFoundException({
        code: 'SUBJECT.NOT_FOUND_AS_OF',
        message: `Subject ${subjectId} was not registered at ${asOf} (${by} time)`,
      });
    }
    return status;
  }
}
