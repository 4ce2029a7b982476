// Who asked what, traceably: every request has an id (the caller's X-Request-Id when well formed, else a
// new one) sent back in X-Request-Id and carried by every log line written while it is handled; a caller's
// X-Correlation-Id is checked before it can reach the permanent events and Kafka; and one log line per
// request says method, route, status, duration and principal. The route is the template (`/subjects/:id`),
// never the URL: query strings may hold ID numbers. Credentials are never logged.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uuidV7 } from '@ledger/application';
import { isValidResidentId } from '@ledger/domain';
import { requestScope, type LedgerLogger } from '@ledger/runtime';

/** What a request id or correlation id may be: it goes into logs, events and Kafka headers as it is. */
export const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Why `value` may not be a request or correlation id, or undefined when it may. */
export function traceIdFault(value: string | string[]): string | undefined {
  if (typeof value !== 'string') return 'must be given once';
  if (!TRACE_ID.test(value)) return 'must be 1-128 characters of letters, digits, . _ : -';
  // A person's ID number would be kept for ever in the events and sent to every subscriber.
  for (let start = 0; start + 18 <= value.length; start++) {
    const candidate = value.slice(start, start + 18).toUpperCase();
    if (/^\d{17}[\dX]$/.test(candidate) && isValidResidentId(candidate))
      return 'must not hold a resident ID number';
  }
  return undefined;
}

/** Fastify's `genReqId`: the caller's X-Request-Id when it is one line of safe characters, else a UUID v7. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers['x-request-id'];
  return given !== undefined && traceIdFault(given) === undefined ? (given as string) : uuidV7();
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot read (bad percent-encoding, a path segment over
 * the router's limit) is answered before any hook runs; it gets the request id and the usual error shape.
 */
export function frameworkError(
  error: { code?: string; statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const [status, code, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'INPUT.PATH_SEGMENT_TOO_LONG', 'A path segment is longer than any id the ledger knows']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'INPUT.BAD_URL', 'The URL is not valid percent-encoded UTF-8']
        : [
            error.statusCode && error.statusCode < 500 ? error.statusCode : 400,
            'HTTP.BAD_REQUEST',
            'The request cannot be read',
          ];
  void reply
    .code(status)
    .headers({ 'x-request-id': request.id, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
    .send({ error: { code, message } });
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'HTTP.REQUEST_TIMEOUT', 'The request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'HTTP.HEADERS_TOO_LARGE', 'The request headers are too large'],
};

/**
 * Fastify's `clientErrorHandler`: bytes Node's HTTP parser cannot read (no request, so no id and no hook)
 * are answered in the usual error shape, then the connection is closed.
 */
export function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'HTTP.BAD_REQUEST',
    'The request is not valid HTTP/1.1',
  ];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

interface TracedRequest extends FastifyRequest {
  actor?: { userId?: string };
}

export function useRequestTracing(instance: FastifyInstance, logger: LedgerLogger | undefined): void {
  instance.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('x-request-id', request.id);
    const correlation = request.headers['x-correlation-id'];
    const fault = correlation === undefined ? undefined : traceIdFault(correlation);
    if (fault) {
      void reply.code(400).send({
        error: {
          code: 'INPUT.INVALID_CORRELATION_ID',
          message: `X-Correlation-Id ${fault}`,
          fields: [{ field: 'X-Correlation-Id', reasons: [`X-Correlation-Id ${fault}`] }],
        },
      });
      return;
    }
    // Everything that runs for this request from here on, including Nest's handler, sees its scope.
    requestScope.run({ requestId: request.id }, done);
  });
  if (!logger) return;
  instance.addHook('onResponse', (request: TracedRequest, reply: FastifyReply, done: () => void) => {
    logger.log(
      {
        msg: 'request',
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        principal: request.actor?.userId ?? null,
      },
      'Http',
    );
    done();
  });
}
