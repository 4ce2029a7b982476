import { Controller, HttpCode, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { MAX_REVIEW_BATCH } from '@ledger/domain';
import { uuidV7 } from '@ledger/application';
import type { PermittedRequest } from '../../access/permission.guard';
import { Requires } from '../../access/requires';
import { ErrorResponse } from '../../errors/error-response';
import { ReadModelFreshness } from '../../read-models/min-position';
import { LargeBody } from '../../common/json-body';
import type { RateLimitTier } from '../../common/rate-limits';
import { CreditReviewer } from '../credit-reviewer';
import {
  CreditReviewBatchRequest,
  ReviewTermsDto,
  type SubjectReferenceDto,
} from '../credit-review.request.dto';
import { RequestValidationFailed } from '../../errors/error.filter';
import { requestValidationPipe } from '../../errors/validation';
import { BatchReviewItemDto, CreditReviewBatchResponse } from '../credit-review.response.dto';
import { checkReferences, requireOneReference, reviewedBody, ReviewBatchLimit } from '../review-answers';

/** Room for 10,000 references by identifier with spaces (about 75 bytes each) and the terms. */
export const REVIEW_BATCH_BODY_BYTES = 1024 * 1024;

@ApiTags('credit-reviews')
@ApiSecurity('api-key')
@Controller('credit-reviews')
export class ReviewCreditBatchController {
  constructor(
    private readonly reviewer: CreditReviewer,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @Requires('credit-reviews.conduct')
  // The lookup tier too: a batch by identifier answers which numbers are registered, as lookups do.
  @LargeBody(REVIEW_BATCH_BODY_BYTES, { ledgerRateLimit: 'lookup' satisfies RateLimitTier })
  @UseInterceptors(ReviewBatchLimit)
  @ApiOperation({
    summary: `Credit reviews of up to ${MAX_REVIEW_BATCH} subjects for one purpose (an award round, a funding call)`,
    description:
      'One answer per subject, in the order given: clear, restricted (with the restrictions as for a single review), ' +
      '`not_found` (unknown; by identifier also a subject the caller may not review), or `refused` (named by id ' +
      'and not the caller’s to review: the 403 code and permission). The standings are read from the read model in one ' +
      'bulk read (with asOf, each subject’s events are folded instead: slower). The batch is logged in one append ' +
      `(stream access-credit-review-batches, one event per 2,000 subjects naming each, appended while the standings are read). Body up to ${REVIEW_BATCH_BODY_BYTES} bytes.`,
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until read models reached this position',
  })
  @ApiOkResponse({ type: CreditReviewBatchResponse })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description: `REVIEW.BATCH_TOO_LARGE (more than ${MAX_REVIEW_BATCH}), REVIEW.BATCH_EMPTY, INPUT.VALIDATION_FAILED with \`fields\``,
  })
  @ApiBody({ type: CreditReviewBatchRequest })
  async reviewBatch(
    @Req() request: PermittedRequest & { body?: unknown },
    @Query('minPosition') minPosition: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditReviewBatchResponse> {
    const timings: Record<string, number> = {};
    let started = performance.now();
    const body = await this.validated(request.body);
    timings.validate = performance.now() - started;
    await this.freshness.waitFor(minPosition);
    const batchId = uuidV7();
    const { answers, logEventIds } = await this.reviewer.reviewBatch(
      request,
      batchId,
      body,
      body.subjects,
      timings,
    );
    started = performance.now();
    const counts = { clear: 0, restricted: 0, not_found: 0, refused: 0 };
    const results = answers.map((answer, index): BatchReviewItemDto => {
      counts[answer.outcome] += 1;
      switch (answer.outcome) {
        case 'clear':
        case 'restricted':
          return { index, subjectId: answer.subject.subjectId, ...reviewedBody(answer) };
        case 'not_found':
          // By identifier the id would tell which number maps where: only the caller's own id is echoed.
          return body.subjects[index]!.subjectId !== undefined
            ? { index, outcome: 'not_found', subjectId: answer.subjectId }
            : { index, outcome: 'not_found' };
        case 'refused':
          return {
            index,
            outcome: 'refused',
            subjectId: answer.subjectId,
            error: {
              code: answer.refusal.code,
              message: answer.refusal.message,
              permission: answer.refusal.missingPermission,
            },
          };
      }
    });
    timings.answer = performance.now() - started;
    // Where the time went, for the benchmark and anyone watching a slow round (W3C Server-Timing).
    void reply.header(
      'Server-Timing',
      Object.entries(timings)
        .map(([phase, ms]) => `${phase};dur=${ms.toFixed(1)}`)
        .join(', '),
    );
    return {
      batchId,
      logEventIds,
      reviewedAt: new Date().toISOString(),
      purpose: body.purpose,
      requestingOrganisation: body.requestingOrganisation,
      ...(body.asOf ? { asOf: body.asOf } : {}),
      counts,
      results,
    };
  }

  /**
   * The terms through the validation pipe as every body; the entries by hand (checkReferences): the pipe's
   * class-transformer and class-validator took 0.45-1 s for 10,000 nested objects on this machine.
   */
  private async validated(raw: unknown): Promise<CreditReviewBatchRequest> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new RequestValidationFailed([{ field: '(body)', reasons: ['the body must be a JSON object'] }]);
    const { subjects, ...rest } = raw as Record<string, unknown>;
    const terms = (await requestValidationPipe.transform(rest, {
      type: 'body',
      metatype: ReviewTermsDto,
    })) as ReviewTermsDto;
    if (!Array.isArray(subjects))
      throw new RequestValidationFailed([
        { field: 'subjects', reasons: ['subjects must be an array of {subjectId} or {identifier}'] },
      ]);
    checkReferences(subjects);
    const references = subjects as SubjectReferenceDto[];
    requireOneReference(references, (index) => `subjects[${index}]`);
    return Object.assign(new CreditReviewBatchRequest(), terms, { subjects: references });
  }
}
