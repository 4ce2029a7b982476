import { BadRequestException, Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { creditUsePurposes, type CreditReport } from '@ledger/domain';
import type { PermittedRequest } from '../../access/permission.guard';
import { Requires } from '../../access/requires';
import { sendPdf, wantsPdf } from '../../common/credit-report-pdf-reply';
import { UuidParam } from '../../common/subject-command';
import { ErrorResponse } from '../../errors/error-response';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
} from '../../audit/access/personal-record-access';
import { GetCreditReport } from './get-credit-report.query';

export class CreditReportQuery {
  @ApiPropertyOptional({
    enum: creditUsePurposes,
    description:
      'Required: what the report is for (policy codes). Missing or unknown: 400 REPORT.UNKNOWN_PURPOSE',
  })
  @IsOptional()
  purpose?: unknown;

  @ApiPropertyOptional({
    description: 'Beijing date the standing is computed for (YYYY-MM-DD); default today',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

@ApiTags('credit-reports')
@ApiSecurity('api-key')
@Controller('subjects')
export class GetCreditReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalRecordAccess,
  ) {}

  @Get(':subjectId/credit-report')
  @Requires('subjects.read')
  @ApiOperation({
    summary: 'A verifiable credit report (信用报告) of a subject, for a stated purpose',
    description:
      'Cut at the latest signed digest (waits up to 3 s for the digester to cover the subject’s last event), with an ' +
      'inclusion proof per event, a QR payload and an Ed25519 seal (docs/ledger-proofs.md §8). Issuing is recorded ' +
      '(CreditReportIssued on credit-report-<reportNo>). Access as for the credit status: natural persons need ' +
      'subjects.read.natural (minors subjects.read.minor), X-Access-Purpose and X-Access-Reason; the read is logged.',
  })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  @ApiHeader({
    name: 'Accept',
    required: false,
    description: 'application/json (default) or application/pdf for the printed A4 report in Chinese',
  })
  @ApiOkResponse({
    description: 'The report (libs/domain/src/reports/credit-report.types.ts), or its PDF',
    content: {
      'application/json': { schema: { type: 'object' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'REPORT.UNKNOWN_PURPOSE, bad asOf' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'SUBJECT.NOT_FOUND' })
  @ApiResponse({
    status: 422,
    type: ErrorResponse,
    description:
      'REPORT.TEACHER_CONFIRMATION_REQUIRED: hiring, promotion, award need a confirmed teacher report',
  })
  @ApiResponse({ status: 503, type: ErrorResponse, description: 'REPORT.NO_DIGEST: no signed digest yet' })
  async report(
    @Param('subjectId', UuidParam) subjectId: string,
    @Query() query: CreditReportQuery,
    @Req() request: PermittedRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditReport | undefined> {
    if (query.purpose !== undefined && typeof query.purpose !== 'string')
      throw new BadRequestException({
        code: 'REPORT.UNKNOWN_PURPOSE',
        message: 'purpose must be given once',
        fields: [{ field: 'purpose', reasons: ['purpose must be given once'] }],
      });
    // Checked (and logged) before anything is read: a refused read reveals nothing.
    const grant = await this.access.authorizeRead(request, subjectId, 'credit-report');
    const report: CreditReport = await this.queries.execute(
      new GetCreditReport(subjectId, query.purpose, request.actor!, query.asOf),
    );
    await grant.log();
    if (wantsPdf(accept)) {
      await sendPdf(reply, report);
      return undefined;
    }
    return report;
  }
}
