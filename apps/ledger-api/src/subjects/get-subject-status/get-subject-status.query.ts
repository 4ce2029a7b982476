import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  subjectCreditStatusProjection,
  type DocumentStore,
  type SubjectCreditStatus,
} from '@ledger/projections';
import { DOCUMENT_STORE } from '../../ledger/ledger.module';

export class GetSubjectStatus {
  constructor(readonly subjectId: string) {}
}

/** What officials see of a subject: the read model without the internal fold state. */
export type SubjectStatusView = Omit<SubjectCreditStatus, 'state'>;

@QueryHandler(GetSubjectStatus)
export class GetSubjectStatusHandler implements IQueryHandler<GetSubjectStatus, SubjectStatusView> {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async execute({ subjectId }: GetSubjectStatus): Promise<SubjectStatusView> {
    const doc = await this.documents.get<SubjectCreditStatus>(subjectCreditStatusProjection.name, subjectId);
    if (!doc)
      throw new NotFoundException({
        code: 'SUBJECT.NOT_REGISTERED',
        message: `Subject ${subjectId} is not registered`,
      });
    const { state: _state, ...view } = doc;
    return view;
  }
}
