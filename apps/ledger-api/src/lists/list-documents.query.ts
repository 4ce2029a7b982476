// One query for every paged listing of a read model (lists, disclosures).
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DocumentStore } from '@ledger/projections';
import { DOCUMENT_STORE } from '../ledger/ledger.module';
import { jurisdictionPrefix, type Page, type PageQuery } from '../common/page-query.dto';

export class ListDocuments {
  constructor(
    readonly projection: string,
    readonly query: PageQuery,
  ) {}
}

@QueryHandler(ListDocuments)
export class ListDocumentsHandler implements IQueryHandler<ListDocuments, Page<unknown>> {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async execute({ projection, query }: ListDocuments): Promise<Page<unknown>> {
    const { items, total } = await this.documents.query(projection, {
      jurisdictionPrefix: jurisdictionPrefix(query.jurisdiction),
      kind: query.kind,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: items.map((item) => withoutInternals(item.doc)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}

function withoutInternals(doc: unknown): unknown {
  const { lastPosition: _lastPosition, ...rest } = doc as { lastPosition?: number };
  return rest;
}
