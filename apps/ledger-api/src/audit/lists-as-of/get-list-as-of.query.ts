// Who was on a list at an instant, from the list-membership history read model.
import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listAsOf, type ListEntryAsOf, type TimeAxis } from '@ledger/audit';
import type { CreditList } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { DocumentStore } from '@ledger/projections';
import { Ledger } from '@ledger/runtime';
import { DOCUMENT_STORE } from '../../ledger/ledger.module';

export class GetListAsOf {
  constructor(
    readonly list: CreditList,
    readonly asOf: string,
    readonly by: TimeAxis,
    readonly filter: {
      readonly jurisdictionPrefix?: string;
      readonly kind?: string;
      readonly page: number;
      readonly pageSize: number;
    },
  ) {}
}

export interface ListAsOfPage {
  readonly list: CreditList;
  readonly asOf: string;
  readonly by: TimeAxis;
  readonly items: readonly ListEntryAsOf[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

const MAX_WAIT_MS = 5_000;

@QueryHandler(GetListAsOf)
export class GetListAsOfHandler implements IQueryHandler<GetListAsOf, ListAsOfPage> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly ledger: Ledger,
  ) {}

  async execute({ list, asOf, by, filter }: GetListAsOf): Promise<ListAsOfPage> {
    // Every change already in the feed must be in the history before it is asked about.
    try {
      await this.ledger.followers.listHistory.waitFor(await this.store.headPosition(), MAX_WAIT_MS);
    } catch {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.NOT_CAUGHT_UP',
        message: 'The list history is still catching up with the ledger; retry shortly',
      });
    }
    const { items, total } = await listAsOf(this.documents, list, {
      asOf,
      by,
      jurisdictionPrefix: filter.jurisdictionPrefix,
      kind: filter.kind,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return { list, asOf, by, items, page: filter.page, pageSize: filter.pageSize, total };
  }
}
