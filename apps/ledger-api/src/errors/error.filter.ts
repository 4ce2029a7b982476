// Maps every failure to an HTTP answer: typed rejections to 4xx with their stable codes; anything
// unexpected to a 500 that is logged in full and tells the client nothing internal.
import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  RuleViolation,
  UnknownEventVersion,
} from '@ledger/domain';
import {
  IdempotencyConflict,
  InvalidEvent,
  isStoreUnavailable,
  WrongExpectedRevision,
} from '@ledger/event-store';
import { IdempotencyKeyReused } from '@ledger/application';
import type { ErrorBody } from './error-response';

export class RequestValidationFailed extends HttpException {
  constructor(fields: ErrorBody['fields']) {
    super(
      { code: 'INPUT.VALIDATION_FAILED', message: 'The request has invalid fields', fields },
      HttpStatus.BAD_REQUEST,
    );
  }
}

/** The stable code of a 503 while the database is down; the command was not recorded (retry it). */
export const STORE_UNAVAILABLE = 'STORE.UNAVAILABLE';
const STORE_RETRY_AFTER_SECONDS = 2;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, answer] = this.toResponse(exception);
    // Every refusal names the permission of the route, the domain's (ACTOR.OUTSIDE_JURISDICTION) too.
    const { permission } = host.switchToHttp().getRequest<{ permission?: string }>() ?? {};
    const body = status === 403 && permission && !answer.permission ? { ...answer, permission } : answer;
    if (status === 503 && body.code === STORE_UNAVAILABLE) {
      // The database is down or restarting: say so and when to retry, log one line, not a stack.
      this.logger.warn({ msg: 'store unavailable', reason: (exception as Error).message });
      void reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
    } else if (status >= 500) {
      this.logger.error(exception instanceof Error ? exception : { msg: String(exception) });
    }
    void reply.status(status).send({ error: body });
  }

  private toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      const body = { code: exception.code, message: exception.message, details: exception.details };
      if (exception instanceof InvalidInput) {
        // Same shape as the validation pipe's answers: the field the domain names, with its reason.
        const field = exception.details?.field;
        return [
          400,
          typeof field === 'string' ? { ...body, fields: [{ field, reasons: [exception.message] }] } : body,
        ];
      }
      if (exception instanceof NotFound) return [404, body];
      if (exception instanceof Conflict) return [409, body];
      if (exception instanceof Forbidden) return [403, body];
      if (exception instanceof RuleViolation) return [422, body];
      return [422, body];
    }
    if (exception instanceof UnknownEventVersion) {
      // A newer release wrote to this stream (a rolling upgrade): this process cannot decide on it, another can.
      const { eventType, schemaVersion, knownVersion } = exception;
      return [
        503,
        {
          code: exception.code,
          message: exception.message,
          details: { eventType, schemaVersion, knownVersion },
        },
      ];
    }
    if (exception instanceof WrongExpectedRevision) {
      return [
        409,
        {
          code: exception.code,
          message: exception.message,
          details: { expected: exception.expected, actual: exception.actual },
        },
      ];
    }
    if (exception instanceof IdempotencyKeyReused || exception instanceof IdempotencyConflict) {
      return [422, { code: exception.code, message: exception.message }];
    }
    if (exception instanceof InvalidEvent) {
      return [
        400,
        {
          code: exception.code,
          message: exception.message,
          fields: [{ field: exception.field, reasons: [exception.reason] }],
        },
      ];
    }
    if (exception instanceof HttpException) return [exception.getStatus(), fromHttpException(exception)];
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      return [
        fastifyError.statusCode,
        {
          code: `HTTP.${fastifyError.code ?? fastifyError.statusCode}`,
          message: fastifyError.message ?? 'Bad request',
        },
      ];
    }
    if (isStoreUnavailable(exception)) {
      return [
        503,
        {
          code: STORE_UNAVAILABLE,
          message: 'The database cannot be reached right now; nothing was recorded, retry the request',
        },
      ];
    }
    return [500, { code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged' }];
  }
}

function fromHttpException(exception: HttpException): ErrorBody {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'code' in response) return response as ErrorBody;
  const status = exception.getStatus();
  const codes: Record<number, string> = {
    400: 'HTTP.BAD_REQUEST',
    401: 'AUTH.UNAUTHORIZED',
    403: 'AUTH.FORBIDDEN',
    404: 'HTTP.NOT_FOUND',
    405: 'HTTP.METHOD_NOT_ALLOWED',
    413: 'HTTP.PAYLOAD_TOO_LARGE',
    415: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
  };
  const message =
    typeof response === 'string'
      ? response
      : ((response as { message?: unknown }).message ?? exception.message);
  return {
    code: codes[status] ?? `HTTP.${status}`,
    message: Array.isArray(message) ? message.join('; ') : String(message),
  };
}
