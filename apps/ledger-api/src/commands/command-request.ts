// What an HTTP request contributes to a command besides its body: who, when, which retry, which revision.
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { canonicalJson, NotCanonicalJson } from '@ledger/event-store';
import type { RequestContext } from '@ledger/application';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { RequestValidationFailed } from '../errors/error.filter';

interface CommandHttpRequest extends AuthenticatedRequest {
  /** The request id (see common/request-tracing). */
  id: string;
  method: string;
  url: string;
  body?: unknown;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export const CommandRequest = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => {
    const request = context.switchToHttp().getRequest<CommandHttpRequest>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const idempotencyKey = header('idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({
        code: 'INPUT.INVALID_IDEMPOTENCY_KEY',
        message: 'Idempotency-Key must be 1-128 characters of letters, digits, . _ : -',
      });
    }
    return {
      now: new Date().toISOString(),
      actor: request.actor!,
      // Checked against TRACE_ID before the request got here; without one the request id links events and logs.
      correlationId: header('x-correlation-id') ?? request.id,
      idempotencyKey,
      // The caller is part of the fingerprint: one caller's key never answers another's request.
      requestHash: idempotencyKey ? requestHashOf(request) : undefined,
      expectedRevision: parseIfMatch(header('if-match')),
    };
  },
);

/** The fingerprint of a request, over its canonical form: a body JSON cannot carry (a NUL) is the client's fault. */
function requestHashOf(request: CommandHttpRequest): string {
  let canonical: string;
  try {
    canonical = canonicalJson([request.actor?.userId, request.method, request.url, request.body ?? null]);
  } catch (error) {
    if (!(error instanceof NotCanonicalJson)) throw error;
    // The path is within [caller, method, url, body]; only the body's part names a field.
    const field = error.path.replace(/^\[3\]\.?/, '') || '(body)';
    throw new RequestValidationFailed([{ field, reasons: [`${field} ${error.reason}`] }]);
  }
  return createHash('sha256').update(canonical).digest('hex');
}

/** `If-Match: 3` or `If-Match: "3"` (the ETag we send back): the stream's revision the client saw. */
function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"?(-1|\d{1,9})"?$/.exec(value.trim());
  if (!match) {
    throw new BadRequestException({
      code: 'INPUT.INVALID_IF_MATCH',
      message: 'If-Match must be a stream revision, e.g. "3"',
    });
  }
  return Number(match[1]);
}
