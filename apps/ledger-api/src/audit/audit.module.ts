// The auditors' edge: history and time, verification, digests and proofs, and the log of who read a
// natural person's record. Global so other use cases can log reads through PersonalRecordAccess.
import { Global, Logger, Module } from '@nestjs/common';
import { DIGEST_STORE, DigestsUnsupported, openDigestStore, type DigestStore } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { AccessLogController } from './access/access-log.controller';
import { AuditorGuard } from './access/auditors-only';
import { PersonalRecordAccess } from './access/personal-record-access';
import { AUDIT_CONFIG, loadAuditConfig, type AuditConfig } from './audit-config';
import { AuditWorkers } from './audit-workers';
import { GetFeedController } from './feed/get-feed.controller';
import { GetListAsOfController } from './lists-as-of/get-list-as-of.controller';
import { GetListAsOfHandler } from './lists-as-of/get-list-as-of.query';
import { GetStatusAsOfController } from './status-as-of/get-status-as-of.controller';
import { GetStatusAsOfHandler } from './status-as-of/get-status-as-of.query';
import { GetSubjectEventsController } from './subject-history/get-subject-events.controller';
import { GetSubjectEventsHandler } from './subject-history/get-subject-events.query';
import { VerificationController } from './verification/verification.controller';

@Global()
@Module({
  controllers: [
    GetSubjectEventsController,
    GetStatusAsOfController,
    GetListAsOfController,
    GetFeedController,
    VerificationController,
    AccessLogController,
  ],
  providers: [
    { provide: AUDIT_CONFIG, useFactory: () => loadAuditConfig() },
    {
      provide: DIGEST_STORE,
      inject: [EVENT_STORE, AUDIT_CONFIG],
      useFactory: async (store: EventStore, config: AuditConfig): Promise<DigestStore | null> => {
        try {
          return await openDigestStore(store, { chunkSize: config.digestChunkSize });
        } catch (error) {
          if (!(error instanceof DigestsUnsupported)) throw error;
          new Logger('Audit').warn({ msg: error.message });
          return null;
        }
      },
    },
    AuditWorkers,
    AuditorGuard,
    PersonalRecordAccess,
    GetSubjectEventsHandler,
    GetStatusAsOfHandler,
    GetListAsOfHandler,
  ],
  exports: [PersonalRecordAccess, DIGEST_STORE, AuditWorkers],
})
export class AuditModule {}
