// One query for every paged listing of a read model (lists, disclosures).
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { beijingDateOf } from '@ledger/domain';
import {
  disclosedIdentity,
  subjectCreditStatusProjection,
  type DocumentStore,
  type SubjectCreditStatus,
} from '@ledger/projections';
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
    // The double-publicity subject block (USCC, masked ID number, nothing for minors) comes from each
    // subject's status document: one read for the page.
    const subjectIds = [...new Set(items.map((item) => (item.doc as { subjectId?: string }).subjectId))];
    const statuses = await this.documents.load(
      subjectCreditStatusProjection.name,
      subjectIds.filter((id): id is string => typeof id === 'string'),
    );
    const today = beijingDateOf(new Date().toISOString());
    return {
      items: items.map((item) => {
        const doc = withoutInternals(item.doc) as { subjectId?: string };
        const status = doc.subjectId === undefined ? undefined : statuses.get(doc.subjectId);
        const identity = status === undefined ? null : disclosedIdentity(status as SubjectCreditStatus, today);
        return identity === null ? doc : { ...doc, subjectIdentity: identity };
      }),
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
