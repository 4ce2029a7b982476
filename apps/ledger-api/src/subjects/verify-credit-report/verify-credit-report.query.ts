// Is a credit report genuine and still current: its issue record, compared with the subject's events after its cut.
import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { toCreditReportStreamId, toSubjectStreamId } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  CREDIT_REPORT_ISSUED,
  type CreditReportIssuedData,
} from '../get-credit-report/get-credit-report.query';

export class VerifyCreditReport {
  constructor(
    readonly reportNo: string,
    /** The content hash of a copy presented (its seal's); absent: only the issue record is looked at. */
    readonly contentHash?: string,
  ) {}
}

export type RecordChange =
  'revoked' | 'repaired' | 'corrected' | 'disputed' | 'objection_resolved' | 'expired' | 'added';

export interface CreditReportVerification {
  /** The ledger issued a report with this number (and, when a copy was presented, with this content). */
  readonly genuine: boolean;
  /** Nothing the report lists changed and no record was added since its cut. */
  readonly current: boolean;
  readonly reportNo: string;
  readonly issuedAt: string;
  readonly subjectId: string;
  readonly purpose: string;
  readonly digest: { readonly upToPosition: number; readonly root: string };
  readonly contentHash: string;
  readonly changedSince: ReadonlyArray<{
    readonly recordId: string;
    readonly change: RecordChange;
    readonly eventId: string;
    readonly at: string;
  }>;
}

const CHANGE_OF: Record<string, RecordChange> = {
  RecordRevoked: 'revoked',
  RepairApproved: 'repaired',
  RecordCorrected: 'corrected',
  ObjectionFiled: 'disputed',
  ObjectionResolved: 'objection_resolved',
  RecordExpired: 'expired',
  PublicityEnded: 'expired',
};
const NEW_RECORD = new Set([
  'PenaltyRecorded',
  'HonourRecorded',
  'CommitmentSigned',
  'RectificationNoticeIssued',
]);

@QueryHandler(VerifyCreditReport)
export class VerifyCreditReportHandler implements IQueryHandler<
  VerifyCreditReport,
  CreditReportVerification
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ reportNo, contentHash }: VerifyCreditReport): Promise<CreditReportVerification> {
    const [issued] = await this.store.readStream(toCreditReportStreamId(reportNo));
    if (issued?.type !== CREDIT_REPORT_ISSUED)
      throw new NotFoundException({
        code: 'REPORT.NOT_FOUND',
        message: `This ledger issued no credit report ${reportNo}`,
      });
    const data = issued.data as CreditReportIssuedData;
    const listed = new Set(data.recordIds);
    const after = (await this.store.readStream(toSubjectStreamId(data.subjectId))).filter(
      (event) => event.revision > data.cutFrom.revision,
    );
    const changedSince: CreditReportVerification['changedSince'][number][] = [];
    for (const event of after) {
      const recordId = (event.data as { recordId?: unknown }).recordId;
      if (typeof recordId !== 'string') continue;
      const change = listed.has(recordId)
        ? CHANGE_OF[event.type]
        : NEW_RECORD.has(event.type)
          ? 'added'
          : undefined;
      if (change) changedSince.push({ recordId, change, eventId: event.id, at: event.recordedAt });
    }
    return {
      genuine: contentHash === undefined || contentHash === data.contentHash,
      current: changedSince.length === 0,
      reportNo,
      issuedAt: data.issuedAt,
      subjectId: data.subjectId,
      purpose: data.purpose,
      digest: data.digest,
      contentHash: data.contentHash,
      changedSince,
    };
  }
}
