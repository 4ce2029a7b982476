// Turning review answers into HTTP bodies, and the input checks class-validator cannot say alone.
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { BadRequestException, Injectable } from '@nestjs/common';
import { MAX_REVIEW_BATCH } from '@ledger/domain';
import { RequestValidationFailed } from '../errors/error.filter';
import type { ReviewAnswer } from './credit-reviewer';
import type { SubjectReferenceDto } from './credit-review.request.dto';

/** 400 naming each reference that gives both a subject id and an identifier. */
export function requireOneReference(
  references: readonly SubjectReferenceDto[],
  field: (index: number) => string,
): void {
  const both = references.flatMap((reference, index) =>
    reference.subjectId !== undefined && reference.identifier !== undefined
      ? [{ field: field(index), reasons: [`${field(index)} must give subjectId or identifier, not both`] }]
      : [],
  );
  if (both.length > 0) throw new RequestValidationFailed(both);
}

/**
 * Refuses a batch over the limit before the validation pipe walks it (interceptors run before pipes), with
 * its own code so a client can split the call.
 */
@Injectable()
export class ReviewBatchLimit implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const body = context.switchToHttp().getRequest<{ body?: { subjects?: unknown } }>().body;
    const subjects = body?.subjects;
    if (Array.isArray(subjects) && (subjects.length === 0 || subjects.length > MAX_REVIEW_BATCH)) {
      const tooLarge = subjects.length > MAX_REVIEW_BATCH;
      throw new BadRequestException({
        code: tooLarge ? 'REVIEW.BATCH_TOO_LARGE' : 'REVIEW.BATCH_EMPTY',
        message: tooLarge
          ? `A batch review takes at most ${MAX_REVIEW_BATCH} subjects (got ${subjects.length}); split it`
          : 'A batch review needs at least one subject',
        fields: [
          {
            field: 'subjects',
            reasons: [
              tooLarge
                ? `subjects must hold at most ${MAX_REVIEW_BATCH} entries`
                : 'subjects must not be empty',
            ],
          },
        ],
      });
    }
    return next.handle();
  }
}

export const reviewedBody = (answer: Extract<ReviewAnswer, { outcome: 'clear' | 'restricted' }>) => ({
  subject: answer.subject,
  outcome: answer.outcome,
  restrictions: answer.review.restrictions,
  grade: answer.review.grade,
  lists: answer.review.lists,
  policyVersion: answer.review.policyVersion,
  standingAsOf: answer.review.asOf,
});
