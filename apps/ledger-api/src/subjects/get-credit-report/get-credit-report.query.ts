// A subject's credit report (信用报告): folded from its stream cut at the latest signed digest, with an inclusion
// proof for every event it rests on and an Ed25519 seal; issuing it is recorded on `credit-report-<reportNo>`.
import { Inject, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DIGEST_SIGNING,
  DIGEST_STORE,
  proveInclusions,
  sealReport,
  type DigestRecord,
  type DigestSigning,
  type DigestStore,
} from '@ledger/audit';
import { uuidV7 } from '@ledger/application';
import {
  beijingDateOf,
  buildCreditReport,
  defaultPolicy,
  eventIdsOfReport,
  evolveSubject,
  initialSubjectState,
  policyFor,
  requireReportPurpose,
  toCreditReportStreamId,
  toSubjectStreamId,
  type CreditReport,
  type CreditReportContent,
  type SubjectEvent,
  type SubjectState,
} from '@ledger/domain';
import { EVENT_STORE, type Actor, type EventStore, type StoredEvent } from '@ledger/event-store';

export class GetCreditReport {
  constructor(
    readonly subjectId: string,
    readonly purpose: unknown,
    readonly actor: Actor,
    /** Beijing date (YYYY-MM-DD) the standing is computed for; default: today. */
    readonly asOf?: string,
  ) {}
}

/** The event that records a report was pulled (on `credit-report-<reportNo>`, never on Kafka). */
export interface CreditReportIssuedData {
  readonly reportNo: string;
  readonly subjectId: string;
  readonly purpose: string;
  readonly asOf: string;
  readonly issuedAt: string;
  readonly issuedBy: Actor;
  readonly digest: { readonly upToPosition: number; readonly root: string };
  readonly cutFrom: { readonly streamId: string; readonly revision: number; readonly position: number };
  readonly contentHash: string;
  /** What the report listed, so later changes can be named by the verification endpoint. */
  readonly recordIds: readonly string[];
}

export const CREDIT_REPORT_ISSUED = 'CreditReportIssued';

/** How long a report waits for the digester to cover the subject's latest event before cutting earlier. */
const DIGEST_WAIT_MS = 3000;

export const reportNoFor = (issuedAt: string): string =>
  `CR-${issuedAt.slice(0, 4)}-${uuidV7().replace(/-/g, '').slice(-12).toUpperCase()}`;

@QueryHandler(GetCreditReport)
export class GetCreditReportHandler implements IQueryHandler<GetCreditReport, CreditReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DIGEST_STORE) private readonly digests: DigestStore | null,
    @Inject(DIGEST_SIGNING) private readonly signing: DigestSigning,
  ) {}

  async execute({ subjectId, purpose: asked, actor, asOf }: GetCreditReport): Promise<CreditReport> {
    const purpose = requireReportPurpose(asked);
    const streamId = toSubjectStreamId(subjectId);
    const all = await this.store.readStream(streamId);
    if (all.length === 0 || all[0]!.type !== 'SubjectRegistered')
      throw new NotFoundException({
        code: 'SUBJECT.NOT_FOUND',
        message: `Subject ${subjectId} is not registered`,
      });
    const digest = await this.digestCovering(all[all.length - 1]!.position);
    const events = all.filter((event) => event.position <= digest.upToPosition);
    if (events.length === 0)
      throw new ServiceUnavailableException({
        code: 'REPORT.NO_DIGEST',
        message: 'No signed digest covers the subject yet; try again in a minute',
      });
    let state: SubjectState = initialSubjectState();
    for (const event of events) state = evolveSubject(state, event as unknown as SubjectEvent);
    if (state.status !== 'registered')
      throw new NotFoundException({
        code: 'SUBJECT.NOT_FOUND',
        message: `Subject ${subjectId} is not registered`,
      });
    const last = events[events.length - 1]!;
    const issuedAt = new Date().toISOString();
    const reportNo = reportNoFor(issuedAt);
    const content: CreditReportContent = buildCreditReport({
      reportNo,
      issuedAt,
      asOf: asOf ?? beijingDateOf(issuedAt),
      purpose,
      actor,
      state,
      events: events.map((event) => ({ eventId: event.id, event: event as unknown as SubjectEvent })),
      policy: policyFor(last.metadata.policyVersion ?? defaultPolicy.version),
    });
    const ids = new Set(eventIdsOfReport(content, events[0]!.id));
    const proven: StoredEvent[] = events.filter((event) => ids.has(event.id));
    const proofs = await proveInclusions(this.store, this.digestStore(), proven, digest);
    const verificationPath = `/api/v1/credit-reports/${reportNo}/verification`;
    const unsealed = {
      ...content,
      verification: {
        digest: {
          upToPosition: digest.upToPosition,
          eventCount: digest.eventCount,
          root: digest.root,
          algorithm: digest.algorithm,
          createdAt: digest.createdAt,
          ...(digest.keyId && digest.signature ? { keyId: digest.keyId, signature: digest.signature } : {}),
        },
        cutFrom: { streamId, revision: last.revision, position: last.position },
        proofs,
        qr: `CR1|${reportNo}|${digest.upToPosition}|${digest.root}|${verificationPath}`,
        verificationPath,
      },
    };
    const seal = sealReport(unsealed, this.signing);
    const report: CreditReport = { ...unsealed, verification: { ...unsealed.verification, seal } };
    const data: CreditReportIssuedData = {
      reportNo,
      subjectId,
      purpose,
      asOf: content.asOf,
      issuedAt,
      issuedBy: actor,
      digest: { upToPosition: digest.upToPosition, root: digest.root },
      cutFrom: report.verification.cutFrom,
      contentHash: seal.contentHash,
      recordIds: content.records.map((record) => record.recordId),
    };
    await this.store.append(
      toCreditReportStreamId(reportNo),
      [
        {
          id: uuidV7(),
          type: CREDIT_REPORT_ISSUED,
          data,
          metadata: { occurredAt: issuedAt, actor, schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return report;
  }

  /** The latest digest; waits up to 3 s for one covering `head`, then takes the latest there is. */
  private async digestCovering(head: number): Promise<DigestRecord> {
    const store = this.digestStore();
    const deadline = Date.now() + DIGEST_WAIT_MS;
    let latest = await store.latest();
    while ((!latest || latest.upToPosition < head) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = await store.latest();
    }
    if (!latest)
      throw new ServiceUnavailableException({
        code: 'REPORT.NO_DIGEST',
        message: 'The ledger has no signed digest yet: a report cannot be proven; try again in a minute',
      });
    return latest;
  }

  private digestStore(): DigestStore {
    if (!this.digests)
      throw new ServiceUnavailableException({
        code: 'REPORT.NO_DIGEST',
        message: 'This store keeps no digests: credit reports cannot be proven',
      });
    return this.digests;
  }
}
