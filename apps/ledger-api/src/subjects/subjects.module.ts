// The HTTP use cases on subjects: one folder per use case, each a controller and its request DTO.
import { Module } from '@nestjs/common';
import { RecordingDepartment } from '../access/recording-department';
import { ExecuteSubjectCommandHandler } from '../commands/execute-subject-command';
import { ApplyForRepairController } from './apply-for-repair/apply-for-repair.controller';
import { CompleteRectificationController } from './complete-rectification/complete-rectification.controller';
import { CorrectRecordController } from './correct-record/correct-record.controller';
import { DecideRepairController } from './decide-repair/decide-repair.controller';
import { FileObjectionController } from './file-objection/file-objection.controller';
import { AnswerReportConfirmationController } from './answer-report-confirmation/answer-report-confirmation.controller';
import { RequestReportConfirmationController } from './request-report-confirmation/request-report-confirmation.controller';
import { GetCreditReportController } from './get-credit-report/get-credit-report.controller';
import { GetCreditReportHandler } from './get-credit-report/get-credit-report.query';
import { VerifyCreditReportController } from './verify-credit-report/verify-credit-report.controller';
import { VerifyCreditReportHandler } from './verify-credit-report/verify-credit-report.query';
import { GetSubjectStatusController } from './get-subject-status/get-subject-status.controller';
import { GetSubjectStatusHandler } from './get-subject-status/get-subject-status.query';
import { IssueRectificationNoticeController } from './issue-rectification-notice/issue-rectification-notice.controller';
import { RecordCommitmentOutcomeController } from './record-commitment-outcome/record-commitment-outcome.controller';
import { RecordHonourController } from './record-honour/record-honour.controller';
import { RecordPenaltyController } from './record-penalty/record-penalty.controller';
import { RegisterSubjectController } from './register-subject/register-subject.controller';
import { ResolveObjectionController } from './resolve-objection/resolve-objection.controller';
import { RevokeRecordController } from './revoke-record/revoke-record.controller';
import { SignCommitmentController } from './sign-commitment/sign-commitment.controller';

@Module({
  controllers: [
    RegisterSubjectController,
    GetSubjectStatusController,
    RecordPenaltyController,
    RecordHonourController,
    SignCommitmentController,
    RecordCommitmentOutcomeController,
    IssueRectificationNoticeController,
    CompleteRectificationController,
    ApplyForRepairController,
    DecideRepairController,
    FileObjectionController,
    ResolveObjectionController,
    CorrectRecordController,
    RevokeRecordController,
    GetCreditReportController,
    VerifyCreditReportController,
    RequestReportConfirmationController,
    AnswerReportConfirmationController,
  ],
  providers: [
    ExecuteSubjectCommandHandler,
    GetSubjectStatusHandler,
    GetCreditReportHandler,
    VerifyCreditReportHandler,
    RecordingDepartment,
  ],
})
export class SubjectsModule {}
