// What a browser and a network may do with the API: security headers (helmet), a CSP the Swagger UI at
// /docs works under, HSTS only when served over TLS, no caching of personal data, CORS for listed origins
// only, and timeouts and a connection cap so idle or slow clients cannot hold the server.
import { readFileSync } from 'node:fs';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyHttpsOptions, FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:https';
import type { LedgerConfig } from '@ledger/runtime';

/** Answers a shared cache may keep: public disclosures (double publicity), for a minute. */
const CACHEABLE_ROUTES = ['/api/v1/disclosures/'];
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

/** The options of the Fastify server itself: TLS when configured, the timeouts. */
export function serverOptions(config: LedgerConfig): Partial<FastifyHttpsOptions<Server>> {
  return {
    ...(config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {}),
    // Behind a reverse proxy: its X-Forwarded-For and -Proto name the client's address and scheme.
    ...(config.trustedProxies ? { trustProxy: config.trustedProxies } : {}),
    requestTimeout: config.httpRequestTimeoutMs,
    connectionTimeout: config.httpConnectionTimeoutMs,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    maxRequestsPerSocket: config.httpMaxRequestsPerSocket,
  };
}

export async function useHttpSecurity(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  const tls = Boolean(config.tlsCertFile);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI's scripts are files of its own; its page has two inline <style> blocks and style attributes.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Over plain HTTP (a loopback or a TLS-terminating proxy) upgrading would break the page.
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: false, // sent below, and only over TLS: over plain HTTP it means nothing and misleads
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const instance = app.getHttpAdapter().getInstance();
  instance.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (request.protocol === 'https')
      void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', cacheControlOf(request, reply));
    done(null, payload);
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'X-API-Key',
        'Idempotency-Key',
        'If-Match',
        'X-Correlation-Id',
        'X-Request-Id',
        'X-Access-Reason',
      ],
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
  const server = app.getHttpServer();
  if (config.httpMaxConnections > 0) server.maxConnections = config.httpMaxConnections;
}

/**
 * Every API answer is `no-store` (subjects, audit, cases, lists and errors hold personal or restricted data),
 * except a successful public disclosure, which anyone may see and a cache may keep for a minute.
 */
function cacheControlOf(request: FastifyRequest, reply: FastifyReply): string {
  const route = request.routeOptions.url ?? '';
  if (reply.statusCode === 200 && CACHEABLE_ROUTES.some((prefix) => route.startsWith(prefix)))
    return PUBLIC_CACHE_CONTROL;
  return route.startsWith('/docs') ? 'no-cache' : 'no-store';
}
