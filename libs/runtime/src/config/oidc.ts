// Sign-in with the province's identity provider (OpenID Connect): which issuer and audience the ledger trusts,
// which algorithms, how much clock skew, and which claims name the caller, their roles, department and
// jurisdiction. Read from the LEDGER_OIDC_* variables; unset LEDGER_OIDC_ISSUER → bearer tokens are not accepted.

/** The roles the ledger knows; a token must carry exactly one of them (after LEDGER_OIDC_ROLE_MAP). */
export const LEDGER_ROLES = ['admin', 'official', 'reviewer', 'auditor', 'discipline-system'] as const;
export type LedgerRole = (typeof LEDGER_ROLES)[number];

/**
 * Asymmetric signatures only. `none` and HS* never: an HMAC "verified" with the provider's public key as
 * its secret is the classic key-confusion forgery, and the ledger holds no shared secret with the provider.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Largest clock skew a deployment may allow (LEDGER_OIDC_CLOCK_SKEW_SECONDS). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface ClaimNames {
  /** The first of these the token carries (a non-empty string) becomes the actor's userId. */
  readonly subject: readonly string[];
  /** Dotted path to an array of role names (Keycloak: realm_access.roles). */
  readonly roles: string;
  /** Dotted paths to strings. */
  readonly department: string;
  readonly jurisdiction: string;
}

export const DEFAULT_CLAIMS: ClaimNames = {
  subject: ['preferred_username', 'sub'],
  roles: 'realm_access.roles',
  department: 'department',
  jurisdiction: 'jurisdiction',
};

export interface OidcSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly claims: ClaimNames;
  /** The provider's role name → the ledger's role; provider roles not named map to themselves. */
  readonly roleMap: ReadonlyMap<string, LedgerRole>;
}

/** LEDGER_OIDC_ALGORITHMS: a comma-separated subset of ASYMMETRIC_ALGORITHMS. */
export function algorithmsFromList(text: string): readonly string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const refused = names.filter((name) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(name));
  if (names.length === 0 || refused.length > 0)
    throw new Error(
      `LEDGER_OIDC_ALGORITHMS may name only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')})` +
        (refused.length ? `; refused: ${refused.join(', ')}` : ''),
    );
  return names;
}

/** LEDGER_OIDC_SUBJECT_CLAIMS: comma-separated claim names, tried in order. */
export function claimListFrom(text: string): readonly string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new Error('LEDGER_OIDC_SUBJECT_CLAIMS must name at least one claim');
  return names;
}

/** LEDGER_OIDC_ROLE_MAP: JSON object {"provider role": "ledger role"}. */
export function roleMapFromJson(text: string): ReadonlyMap<string, LedgerRole> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('LEDGER_OIDC_ROLE_MAP must be a JSON object {"provider role": "ledger role"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('LEDGER_OIDC_ROLE_MAP must be a JSON object {"provider role": "ledger role"}');
  const map = new Map<string, LedgerRole>();
  for (const [from, to] of Object.entries(parsed)) {
    if (typeof to !== 'string' || !(LEDGER_ROLES as readonly string[]).includes(to))
      throw new Error(`LEDGER_OIDC_ROLE_MAP["${from}"] must be one of ${LEDGER_ROLES.join(', ')}`);
    map.set(from, to as LedgerRole);
  }
  return map;
}

interface OidcVariables {
  readonly oidcIssuer?: string;
  readonly oidcAudience?: string;
  readonly oidcAlgorithms: readonly string[];
  readonly oidcClockSkewSeconds: number;
  readonly oidcSubjectClaims: readonly string[];
  readonly oidcRolesClaim: string;
  readonly oidcDepartmentClaim: string;
  readonly oidcJurisdictionClaim: string;
  readonly oidcRoleMap?: ReadonlyMap<string, LedgerRole>;
}

/** The settings, or undefined when no issuer is configured; throws naming the variables when inconsistent. */
export function oidcSettingsOf(config: OidcVariables): OidcSettings | undefined {
  const { oidcIssuer: issuer, oidcAudience: audience } = config;
  if (!issuer) {
    if (audience) throw new Error('LEDGER_OIDC_AUDIENCE is set but LEDGER_OIDC_ISSUER is not');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`LEDGER_OIDC_ISSUER must be the issuer's URL, got "${issuer}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new Error(`LEDGER_OIDC_ISSUER must be an https URL (http only on loopback), got "${issuer}"`);
  if (!audience)
    throw new Error('LEDGER_OIDC_ISSUER needs LEDGER_OIDC_AUDIENCE (the aud the ledger requires in tokens)');
  if (config.oidcClockSkewSeconds > MAX_CLOCK_SKEW_SECONDS)
    throw new Error(`LEDGER_OIDC_CLOCK_SKEW_SECONDS must be at most ${MAX_CLOCK_SKEW_SECONDS}`);
  return {
    issuer, // as the provider writes it in `iss`: compared exactly
    audience,
    algorithms: config.oidcAlgorithms,
    clockSkewSeconds: config.oidcClockSkewSeconds,
    claims: {
      subject: config.oidcSubjectClaims,
      roles: config.oidcRolesClaim,
      department: config.oidcDepartmentClaim,
      jurisdiction: config.oidcJurisdictionClaim,
    },
    roleMap: config.oidcRoleMap ?? new Map(),
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
