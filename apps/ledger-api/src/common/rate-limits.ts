// Rate limits at the edge (@fastify/rate-limit's counters, our own order of checks), each a 429 with
// Retry-After and a stable code. In the order checked:
//   1. an address that failed authentication (401) too often is refused everything for the window;
//   2. per address, every request;
//   3. per principal: keyed by a hash of the credential presented (API key or bearer token), so a key is
//      limited wherever it is used from; a request with no credential (health, public disclosures, and
//      refusals for lack of one) is keyed by its address and gets the stricter anonymous limit;
//   4. routes marked @RateLimited(tier) (finding a natural person by ID number) have their own, stricter,
//      per-principal limit.
// Counters live in this process: with several API processes each limits on its own (a shared store is a
// `store` option of the plugin away).
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { RouteConfig, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LedgerConfig } from '@ledger/runtime';

/** Named stricter limits a route can opt into; each is a setting (LEDGER_RATE_LIMIT_LOOKUPS). */
export type RateLimitTier = 'lookup';

/**
 * A stricter limit per principal for the route, e.g. `@RateLimited('lookup')` on the lookup of natural
 * persons by ID number. Fastify route config, read by the hook below.
 */
export const RateLimited = (tier: RateLimitTier) => RouteConfig({ ledgerRateLimit: tier });

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type RateLimitResult = Awaited<ReturnType<Limiter>>;

/** The credential presented, hashed: never kept or logged as it is. Undefined when none was presented. */
export function credentialKeyOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const { authorization } = request.headers;
  const apiKey = request.headers['x-api-key'];
  const presented = [apiKey, authorization].flat().filter((value) => typeof value === 'string' && value);
  if (presented.length === 0) return undefined;
  return createHash('sha256').update(presented.join('\n')).digest('base64url').slice(0, 22);
}

const REFUSALS = {
  failedAuth: {
    code: 'RATE.TOO_MANY_FAILED_AUTHENTICATIONS',
    message: 'Too many failed authentications from this address',
  },
  address: { code: 'RATE.LIMITED', message: 'Too many requests from this address' },
  principal: { code: 'RATE.LIMITED', message: 'Too many requests with this credential' },
  anonymous: { code: 'RATE.LIMITED', message: 'Too many requests without a credential from this address' },
  lookup: { code: 'RATE.LIMITED', message: 'Too many lookups with this credential' },
} as const;

export async function useRateLimits(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  if (!config.rateLimits) return;
  // global: false: the plugin adds no hooks of its own; we only use its counters (createRateLimit).
  await app.register(rateLimit, { global: false, cache: 100_000 });
  const instance = app.getHttpAdapter().getInstance();
  const timeWindow = config.rateLimitWindowMs;
  const limiter = (max: number, keyGenerator: (request: FastifyRequest) => string) =>
    max > 0 ? instance.createRateLimit({ max, timeWindow, keyGenerator }) : undefined;

  const failedAuth = limiter(config.rateLimitFailedAuth, (request) => `auth:${request.ip}`);
  const address = limiter(config.rateLimitPerAddress, (request) => `address:${request.ip}`);
  const principal = limiter(
    config.rateLimitPerPrincipal,
    (request) => `principal:${credentialKeyOf(request)}`,
  );
  const anonymous = limiter(config.rateLimitAnonymous, (request) => `anonymous:${request.ip}`);
  const tiers: Record<RateLimitTier, Limiter | undefined> = {
    lookup: limiter(
      config.rateLimitLookups,
      (request) => `lookup:${credentialKeyOf(request) ?? request.ip}:${request.routeOptions.url}`,
    ),
  };

  instance.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const refuse = (result: RateLimitResult, refusal: (typeof REFUSALS)[keyof typeof REFUSALS]) => {
      const retryAfter = Math.max(1, result.isAllowed ? 1 : result.ttlInSeconds);
      return reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .send({ error: { ...refusal, details: { retryAfterSeconds: retryAfter } } });
    };
    if (failedAuth) {
      const result = await failedAuth(request, { increment: false });
      if (!result.isAllowed && result.isExceeded) return refuse(result, REFUSALS.failedAuth);
    }
    const checks: Array<[Limiter | undefined, (typeof REFUSALS)[keyof typeof REFUSALS]]> = [
      [address, REFUSALS.address],
      credentialKeyOf(request) ? [principal, REFUSALS.principal] : [anonymous, REFUSALS.anonymous],
    ];
    const tier = (request.routeOptions.config as { ledgerRateLimit?: RateLimitTier } | undefined)
      ?.ledgerRateLimit;
    if (tier) checks.push([tiers[tier], REFUSALS[tier]]);
    for (const [limit, refusal] of checks) {
      if (!limit) continue;
      const result = await limit(request);
      if (!result.isAllowed && result.isExceeded) return refuse(result, refusal);
    }
    return undefined;
  });

  // Counting after the answer: whatever refused the caller (a guard, a filter), a 401 is a failed authentication.
  if (failedAuth) {
    instance.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      if (reply.statusCode === 401) await failedAuth(request);
    });
  }
}
