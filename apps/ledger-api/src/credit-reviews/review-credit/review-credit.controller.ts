import { Body, Controller, HttpCode, NotFoundException, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { PermittedRequest } from '../../access/permission.guard';
import { AccessForbidden, Requires } from '../../access/requires';
import { ErrorResponse } from '../../errors/error-response';
import { RateLimited } from '../../common/rate-limits';
import { ReadModelFreshness } from '../../read-models/min-position';
import { CreditReviewer } from '../credit-reviewer';
import { CreditReviewRequest } from '../credit-review.request.dto';
import { CreditReviewResponse } from '../credit-review.response.dto';
import { requireOneReference, reviewedBody } from '../review-answers';

const NOT_FOUND = {
  code: 'SUBJECT.NOT_FOUND',
  message: 'No subject with this id or identifier that you may review',
};

@ApiTags('credit-reviews')
@ApiSecurity('api-key')
@Controller('credit-reviews')
export class ReviewCreditController {
  constructor(
    private readonly reviewer: CreditReviewer,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Post()
  @HttpCode(200)
  @Requires('credit-reviews.conduct')
  @RateLimited('lookup') // by identifier it is a lookup: the same stricter limit per principal
  @ApiOperation({
    summary: 'Credit review (信用审查): is the subject restricted for this purpose?',
    description:
      'Applies the credit policy’s purpose → measure table (reviewRules, per jurisdiction) to the subject’s standing: ' +
      '`clear`, or `restricted` with each restriction’s measure, the list memberships and records behind it and the rule. ' +
      'Natural persons need subjects.read.natural, minors subjects.read.minor (a minor’s name is never given). ' +
      'Every review is logged in the subject’s access log (resource credit-review) before the answer leaves. ' +
      'By identifier, an unknown number and a subject the caller may not review get the same 404.',
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until read models reached this position',
  })
  @ApiOkResponse({ type: CreditReviewResponse })
  @ApiResponse({
    status: 400,
    type: ErrorResponse,
    description:
      'INPUT.VALIDATION_FAILED: unknown purpose, no requestingOrganisation, bad subject; `fields` names each',
  })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'SUBJECT.NOT_FOUND' })
  async review(
    @Body() body: CreditReviewRequest,
    @Query('minPosition') minPosition: string | undefined,
    @Req() request: PermittedRequest,
  ): Promise<CreditReviewResponse> {
    requireOneReference([body.subject], () => 'subject');
    await this.freshness.waitFor(minPosition);
    const [answer] = await this.reviewer.review(request, body, [body.subject]);
    if (answer!.outcome === 'refused') throw new AccessForbidden(answer!.refusal);
    const reviewId = await this.reviewer.logOne(request, body, answer!);
    if (answer!.outcome === 'not_found') throw new NotFoundException(NOT_FOUND);
    return {
      reviewId,
      reviewedAt: new Date().toISOString(),
      purpose: body.purpose,
      requestingOrganisation: body.requestingOrganisation,
      ...(body.asOf ? { asOf: body.asOf } : {}),
      ...reviewedBody(answer!),
    };
  }
}
