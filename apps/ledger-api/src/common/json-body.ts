// The JSON body parser of the API. Before anything walks a body (class-transformer and class-validator
// recurse, and JSON nested thousands deep overflowed their stack) it is refused when it is not UTF-8,
// when it nests deeper than the configured limit, or when it holds a number JSON cannot carry (1e999
// parses to Infinity, which the canonical form hashed for Idempotency-Key cannot write): 400s with
// field-level reasons. Syntax errors stay with Fastify's parser (HTTP.BAD_REQUEST), as before.
import type { FastifyRequest } from 'fastify';
import { RouteConfig, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpException, HttpStatus } from '@nestjs/common';
import { RequestValidationFailed } from '../errors/error.filter';

export class MalformedBody extends HttpException {
  constructor(code: string, message: string, field?: string) {
    super(
      { code, message, ...(field === undefined ? {} : { fields: [{ field, reasons: [message] }] }) },
      HttpStatus.BAD_REQUEST,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How deep the text nests (arrays and objects), counted without parsing: brackets inside strings do not
 * count. Stops counting once past `limit`, so a hostile body costs one scan at most.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** The path (`fines[2].amount`) of the first number that is not finite, or undefined. Depth is bounded. */
export function nonFiniteNumberAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '(body)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFiniteNumberAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = nonFiniteNumberAt(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

export function useJsonBodyParser(
  app: NestFastifyApplication,
  options: { maxDepth: number; bodyLimit: number },
): void {
  const instance = app.getHttpAdapter().getInstance();
  // JSON only: a text/plain body (Fastify parses it by default) is 415 like any other type.
  instance.removeContentTypeParser('text/plain');
  const parseJson = instance.getDefaultJsonParser('error', 'error');
  app.useBodyParser(
    'application/json',
    { bodyLimit: options.bodyLimit },
    (request: FastifyRequest, body: Buffer, done) => {
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        done(new MalformedBody('INPUT.INVALID_UTF8', 'The body must be UTF-8 text'), undefined);
        return;
      }
      if (jsonDepthExceeds(text, options.maxDepth)) {
        done(
          new MalformedBody(
            'INPUT.TOO_DEEP',
            `The body nests arrays and objects more than ${options.maxDepth} levels deep`,
          ),
          undefined,
        );
        return;
      }
      parseJson(request, text, (error, value) => {
        if (error) return done(error, undefined);
        const field = nonFiniteNumberAt(value);
        if (field !== undefined) {
          return done(
            new RequestValidationFailed([
              { field, reasons: [`${field} must be a finite number (JSON cannot carry Infinity)`] },
            ]),
            undefined,
          );
        }
        done(null, value);
      });
    },
  );
}

/**
 * A route that takes more than the ledger's body limit (a batch review of 10,000 subjects): its own limit,
 * set on the route when Fastify registers it (a route's bodyLimit wins over the parser's).
 */
export const LargeBody = (bytes: number, config: Record<string, unknown> = {}) =>
  // One RouteConfig per route (a second replaces the first): other route settings come in beside the limit.
  RouteConfig({ ...config, ledgerBodyLimit: bytes });

export function useLargeBodyRoutes(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const limit = (route.config as { ledgerBodyLimit?: unknown } | undefined)?.ledgerBodyLimit;
      if (typeof limit === 'number') route.bodyLimit = limit;
    });
}
