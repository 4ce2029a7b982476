import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  subjectCreditStatusProjection,
  type DocumentStore,
  type SubjectCreditStatus,
} from '@ledger/projections';
import type { SubjectFacts } from '../../audit/access/personal-record-access';
import { DOCUMENT_STORE } from '../../ledger/ledger.module';

export class GetSubjectStatus {
  constructor(readonly subjectId: string) {}
}

/** What officials see of a subject: the read model without the internal fold state. */
export type SubjectStatusView = Omit<SubjectCreditStatus, 'state'>;

/**
 * The view, and from the same document whose record it is (kind, division, birth date) so a read is
 * authorized without a second round trip to the store; never sent to the caller.
 */
export interface SubjectStatusRead {
  readonly view: SubjectStatusView;
  readonly facts: SubjectFacts | undefined;
}

@QueryHandler(GetSubjectStatus)
export class GetSubjectStatusHandler implements IQueryHandler<GetSubjectStatus, SubjectStatusRead> {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async execute({ subjectId }: GetSubjectStatus): Promise<SubjectStatusRead> {
    const doc = await this.documents.get<SubjectCreditStatus>(subjectCreditStatusProjection.name, subjectId);
    if (!doc)
      throw new NotFoundException({
        code: 'SUBJECT.NOT_REGISTERED',
        message: `Subject ${subjectId} is not registered`,
      });
    const { state, ...view } = doc;
    const facts =
      state.status === 'registered'
        ? {
            subjectId,
            kind: state.summary.kind,
            jurisdiction: state.summary.jurisdiction,
            birthDate: state.birthDate,
          }
        : undefined;
    return { view, facts };
  }
}
