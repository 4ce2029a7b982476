// The auditors' edge: history and time, verification, digests and proofs, and the log of who read a
// natural person's record. Global so other use cases can log reads through PersonalRecordAccess.
import { Global, Module } from '@nestjs/common';
import { AccessLogController } from './access/access-log.controller';
import { PersonalRecordAccess } from './access/personal-record-access';
import { GetFeedController } from './feed/get-feed.controller';
import { GetListAsOfController } from './lists-as-of/get-list-as-of.controller';
import { GetListAsOfHandler } from './lists-as-of/get-list-as-of.query';
import { GetStatusAsOfController } from './status-as-of/get-status-as-of.controller';
import { GetStatusAsOfHandler } from './status-as-of/get-status-as-of.query';
import { GetSubjectEventsController } from './subject-history/get-subject-events.controller';
import { GetSubjectEventsHandler } from './subject-history/get-subject-events.query';
import { LedgerKeysController } from './keys/ledger-keys.controller';
import { VerificationController } from './verification/verification.controller';

@Global()
@Module({
  controllers: [
    GetSubjectEventsController,
    GetStatusAsOfController,
    GetListAsOfController,
    GetFeedController,
    VerificationController,
    LedgerKeysController,
    AccessLogController,
  ],
  providers: [PersonalRecordAccess, GetSubjectEventsHandler, GetStatusAsOfHandler, GetListAsOfHandler],
  exports: [PersonalRecordAccess],
})
export class AuditModule {}
