// Bearer JWT access tokens from the province's identity provider, verified with jose against the issuer's
// JWKS (found by discovery), and turned into the actor the ledger writes into events.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { LEDGER_ROLES, type LedgerRole, type OidcSettings } from '@ledger/runtime';
import type { Actor } from '@ledger/event-store';

/** A refusal with a stable code; `status` 401 (not authenticated), 403 (authenticated, not usable), 503. */
export class AuthenticationRefused extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: string,
    message: string,
    /** Why, for the log and the answer: never the credential. */
    readonly reason?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface TokenVerifierOptions {
  /** The clock tokens are checked against (tests move it past a real token's exp). */
  readonly now?: () => Date;
  /** Pause before discovery is tried again after it failed. */
  readonly discoveryRetryMs?: number;
}

interface Discovery {
  readonly issuer: string;
  readonly jwks_uri: string;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Three base64url segments, the first a JSON header: a JWS in compact form, not an opaque API key. */
export const looksLikeJwt = (credential: string): boolean =>
  /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(credential);

/**
 * Tokens already verified, by their exact text, until their exp: a client sends the same token for its whole
 * life (minutes), and the text is what the signature covers, so a hit needs only the clock check. Checking
 * an RS256 signature costs about 0.1 ms of CPU, some 10 % of a command's (docs/benchmarks.md).
 */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenVerifier {
  private keys: Promise<KeySet> | undefined;
  private readonly verified = new Map<string, { payload: JWTPayload; expiresAtMs: number }>();
  private failedAt = 0;
  private readonly now: () => Date;

  constructor(
    readonly settings: OidcSettings,
    private readonly options: TokenVerifierOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Fetches discovery and the JWKS now, so the first request does not wait (failures are retried later). */
  async warmUp(): Promise<void> {
    const keys = await this.keySet();
    // jose fetches the JWKS on first use; a verify of nothing would throw, so ask it for any key.
    await keys({ alg: this.settings.algorithms[0]! }).catch(() => undefined);
  }

  /** The token's payload once its signature, issuer, audience and times hold; throws AuthenticationRefused. */
  async verify(token: string): Promise<JWTPayload> {
    const now = this.now();
    const cached = this.verified.get(token);
    if (cached) {
      if (now.getTime() < cached.expiresAtMs) return cached.payload;
      this.verified.delete(token);
    }
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: [...this.settings.algorithms],
        clockTolerance: this.settings.clockSkewSeconds,
        currentDate: now,
        requiredClaims: ['exp'],
      });
      this.remember(token, payload);
      return payload;
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** Verifies and maps the claims (configurable names) to an actor; `chosenRole` picks among several. */
  async actorOf(token: string, chosenRole?: string): Promise<Actor> {
    return actorFromClaims(await this.verify(token), this.settings, chosenRole);
  }

  private remember(token: string, payload: JWTPayload): void {
    // Past exp + skew it is refused again by jwtVerify itself (and dropped from here).
    const expiresAtMs = (payload.exp! + this.settings.clockSkewSeconds) * 1000;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      const now = this.now().getTime();
      for (const [text, entry] of this.verified) if (entry.expiresAtMs <= now) this.verified.delete(text);
      // Still full of live tokens: forget the oldest.
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { payload, expiresAtMs });
  }

  private keySet(): Promise<KeySet> {
    if (this.keys === undefined || (this.failedAt && Date.now() - this.failedAt >= this.retryMs)) {
      this.failedAt = 0;
      this.keys = discover(this.settings.issuer).then(
        (discovery) => createRemoteJWKSet(new URL(discovery.jwks_uri), { timeoutDuration: 5_000 }),
        (error: Error) => {
          this.failedAt = Date.now();
          throw new AuthenticationRefused(
            503,
            'AUTH.PROVIDER_UNAVAILABLE',
            'The identity provider cannot be reached to check the token; try again shortly',
            error.message,
          );
        },
      );
    }
    return this.keys;
  }

  private get retryMs(): number {
    return this.options.discoveryRetryMs ?? 5_000;
  }
}

async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`discovery at ${url} answered ${response.status}`);
  const discovery = (await response.json()) as Partial<Discovery>;
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
  if (discovery.issuer !== issuer)
    throw new Error(`discovery at ${url} names issuer "${String(discovery.issuer)}", not "${issuer}"`);
  if (typeof discovery.jwks_uri !== 'string') throw new Error(`discovery at ${url} has no jwks_uri`);
  const jwks = new URL(discovery.jwks_uri);
  if (jwks.protocol !== 'https:' && new URL(issuer).protocol === 'https:')
    throw new Error(`discovery at ${url} names a JWKS that is not https: ${discovery.jwks_uri}`);
  return discovery as Discovery;
}

function refusalOf(error: unknown): AuthenticationRefused {
  const invalid = (reason: string) =>
    new AuthenticationRefused(
      401,
      'AUTH.TOKEN_INVALID',
      'The bearer token is not valid for this ledger',
      reason,
    );
  if (error instanceof errors.JWTExpired)
    return new AuthenticationRefused(401, 'AUTH.TOKEN_EXPIRED', 'The bearer token has expired', 'exp');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat')
      return new AuthenticationRefused(
        401,
        'AUTH.TOKEN_NOT_YET_VALID',
        'The bearer token is not valid yet',
        error.claim,
      );
    return invalid(`claim ${error.claim}: ${error.reason}`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('signature');
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('no key of the issuer matches');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return invalid('several keys of the issuer match');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new AuthenticationRefused(
      503,
      'AUTH.PROVIDER_UNAVAILABLE',
      "The identity provider's keys cannot be fetched; try again shortly",
      error.code,
    );
  if (error instanceof errors.JOSEError) return invalid(error.code);
  // The JWKS fetch itself failed (network): the provider, not the token.
  return new AuthenticationRefused(
    503,
    'AUTH.PROVIDER_UNAVAILABLE',
    "The identity provider's keys cannot be fetched; try again shortly",
    (error as Error)?.message,
  );
}

const JURISDICTION = /^\d{6}$/;

/** The claims of a verified token as the ledger's actor; throws a 403 AuthenticationRefused when unusable. */
export function actorFromClaims(
  payload: JWTPayload,
  settings: Pick<OidcSettings, 'claims' | 'roleMap'>,
  chosenRole?: string,
): Actor {
  const { claims } = settings;
  const missing = (claim: string) =>
    new AuthenticationRefused(
      403,
      'AUTH.TOKEN_CLAIM_MISSING',
      `The token carries no usable ${claim} claim`,
      claim,
      { claim },
    );
  const userId = claims.subject.map((name) => text(pathIn(payload, name))).find(Boolean);
  if (!userId) throw missing(claims.subject.join(' or '));
  const department = text(pathIn(payload, claims.department));
  if (!department) throw missing(claims.department);
  const jurisdiction = text(pathIn(payload, claims.jurisdiction));
  if (!jurisdiction) throw missing(claims.jurisdiction);
  if (!JURISDICTION.test(jurisdiction))
    throw new AuthenticationRefused(
      403,
      'AUTH.TOKEN_CLAIM_INVALID',
      `The token's ${claims.jurisdiction} claim must be a 6-digit division code`,
      claims.jurisdiction,
      { claim: claims.jurisdiction },
    );
  const role = roleOf(payload, settings, chosenRole);
  return { userId, role, department, jurisdiction };
}

/**
 * The one ledger role among the token's roles (mapped by LEDGER_OIDC_ROLE_MAP). None: 403 AUTH.NO_LEDGER_ROLE.
 * Several: the caller names the one it acts in with X-Ledger-Role, else 403 AUTH.ROLE_AMBIGUOUS — the ledger
 * never picks the strongest on its own, so every event names the role its author chose to act in.
 */
function roleOf(
  payload: JWTPayload,
  { claims, roleMap }: Pick<OidcSettings, 'claims' | 'roleMap'>,
  chosenRole: string | undefined,
): LedgerRole {
  const raw = pathIn(payload, claims.roles);
  const given = Array.isArray(raw) ? raw.filter((r): r is string => typeof r === 'string') : [];
  const held = [
    ...new Set(
      given
        .map((role) => roleMap.get(role) ?? role)
        .filter((role): role is LedgerRole => (LEDGER_ROLES as readonly string[]).includes(role)),
    ),
  ];
  if (held.length === 0)
    throw new AuthenticationRefused(
      403,
      'AUTH.NO_LEDGER_ROLE',
      `The token carries none of the ledger's roles (${LEDGER_ROLES.join(', ')}) in ${claims.roles}`,
      'no ledger role',
    );
  if (chosenRole !== undefined) {
    if (!(held as string[]).includes(chosenRole))
      throw new AuthenticationRefused(
        403,
        'AUTH.ROLE_NOT_HELD',
        `X-Ledger-Role names a role the token does not carry (it carries ${held.join(', ')})`,
        'role not held',
        { roles: held },
      );
    return chosenRole as LedgerRole;
  }
  if (held.length > 1)
    throw new AuthenticationRefused(
      403,
      'AUTH.ROLE_AMBIGUOUS',
      `The token carries several ledger roles (${held.join(', ')}): name the one to act in with X-Ledger-Role`,
      'several ledger roles',
      { roles: held },
    );
  return held[0]!;
}

function pathIn(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path]; // a claim name that itself contains dots (URIs)
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
      payload,
    );
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
