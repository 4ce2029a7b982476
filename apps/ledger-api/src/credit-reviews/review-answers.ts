// Turning review answers into HTTP bodies, and the input checks class-validator cannot say alone.
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { BadRequestException, Injectable } from '@nestjs/common';
import { MAX_REVIEW_BATCH } from '@ledger/domain';
import { RequestValidationFailed } from '../errors/error.filter';
import type { ReviewAnswer } from './credit-reviewer';
import { identifierValueProblem, type SubjectReferenceDto } from './credit-review.request.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type FieldError = { field: string; reasons: string[] };

/** The problems of one reference, with the same fields and messages the single review's validation gives. */
function referenceProblems(reference: unknown, at: string): FieldError[] {
  if (typeof reference !== 'object' || reference === null || Array.isArray(reference))
    return [{ field: at, reasons: [`${at} must be an object {subjectId} or {identifier: {scheme, value}}`] }];
  const { subjectId, identifier, ...rest } = reference as Record<string, unknown>;
  const problems: FieldError[] = Object.keys(rest).map((key) => ({
    field: `${at}.${key}`,
    reasons: [`property ${key} should not exist`],
  }));
  if (identifier === undefined || subjectId !== undefined) {
    if (typeof subjectId !== 'string' || !UUID.test(subjectId))
      problems.push({
        field: `${at}.subjectId`,
        reasons: ['subjectId must be a UUID (or give identifier instead)'],
      });
  }
  if (identifier !== undefined) {
    if (typeof identifier !== 'object' || identifier === null || Array.isArray(identifier)) {
      problems.push({ field: `${at}.identifier`, reasons: ['identifier must be an object {scheme, value}'] });
    } else {
      const { scheme, value, ...extra } = identifier as Record<string, unknown>;
      for (const key of Object.keys(extra))
        problems.push({ field: `${at}.identifier.${key}`, reasons: [`property ${key} should not exist`] });
      if (scheme !== 'uscc' && scheme !== 'resident_id')
        problems.push({ field: `${at}.identifier.scheme`, reasons: ['scheme must be uscc or resident_id'] });
      const problem = identifierValueProblem(scheme, value);
      if (problem) problems.push({ field: `${at}.identifier.value`, reasons: [problem] });
    }
  }
  return problems;
}

/** 400 naming every bad entry of a batch (at most 100 of them, so the answer stays small). */
export function checkReferences(references: readonly unknown[]): void {
  const problems: FieldError[] = [];
  for (let index = 0; index < references.length && problems.length < 100; index++)
    problems.push(...referenceProblems(references[index], `subjects[${index}]`));
  if (problems.length > 0) throw new RequestValidationFailed(problems);
}

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
