import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { checkReportSeal, DIGEST_SIGNING, type DigestSigning } from '@ledger/audit';
import { Requires } from '../../access/requires';
import { ErrorResponse } from '../../errors/error-response';
import { ReportNoParam } from './report-no.param';
import { VerifyCreditReport, type CreditReportVerification } from './verify-credit-report.query';

@ApiTags('credit-reports')
@ApiSecurity('api-key')
@Controller('credit-reports')
export class VerifyCreditReportController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(DIGEST_SIGNING) private readonly signing: DigestSigning,
  ) {}

  @Get(':reportNo/verification')
  @Requires('subjects.read')
  @ApiOperation({
    summary: 'Whether a credit report was issued here and is still current',
    description:
      'Reads the report’s issue record and names the records it listed that were revoked, repaired, corrected, ' +
      'disputed or expired since its cut (and records added since).',
  })
  @ApiOkResponse({
    description: '{genuine, current, reportNo, issuedAt, changedSince: [{recordId, change}]}',
  })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'REPORT.NOT_FOUND' })
  verification(@Param('reportNo', ReportNoParam) reportNo: string): Promise<CreditReportVerification> {
    return this.queries.execute(new VerifyCreditReport(reportNo));
  }

  @Post(':reportNo/verification')
  @HttpCode(200)
  @Requires('subjects.read')
  @ApiOperation({
    summary:
      'Check a presented copy of a credit report: its seal, and whether it is the one issued and current',
  })
  @ApiOkResponse({
    description:
      'As GET, plus seal: {valid, reason?}; genuine needs a valid seal and the issued content hash',
  })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'REPORT.NOT_FOUND' })
  async check(
    @Param('reportNo', ReportNoParam) reportNo: string,
    @Body() body: Record<string, unknown>,
  ): Promise<CreditReportVerification & { seal: { valid: boolean; reason?: string } }> {
    const report = body as { issuedAt: string; verification?: { seal?: { contentHash?: string } } };
    const seal = checkReportSeal(report, this.signing.keySet());
    const answer: CreditReportVerification = await this.queries.execute(
      new VerifyCreditReport(reportNo, report.verification?.seal?.contentHash ?? ''),
    );
    return {
      ...answer,
      genuine: answer.genuine && seal.valid,
      seal: seal.valid ? { valid: true } : { valid: false, reason: seal.reason },
    };
  }
}
