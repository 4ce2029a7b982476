// The test province's identity provider (infra/keycloak, started by `npm test`): where it is, who is in
// its realm, how to get their tokens, and the verification settings and claim names the ledger's sign-in
// reads by default. A missing provider fails the suite, never skips it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWTPayload, JWTVerifyOptions } from 'jose';

/** What the ledger's sign-in expects of a token unless configured otherwise. */
export const oidcDefaults = {
  audience: 'credit-ledger',
  /** Asymmetric algorithms only: never `none`, never HS* (a public key used as an HMAC secret). */
  algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
  clockToleranceSeconds: 30,
  claims: {
    /** The first of these that the token carries names the caller. */
    subject: ['preferred_username', 'sub'],
    /** A dotted path: Keycloak puts realm roles under `realm_access.roles`. */
    roles: 'realm_access.roles',
    department: 'department',
    jurisdiction: 'jurisdiction',
  },
} as const;

export type ClaimNames = typeof oidcDefaults.claims;

/** The caller a token names, read with the configured claim names. */
export interface TokenIdentity {
  readonly subject: string | undefined;
  readonly roles: readonly string[];
  readonly department: string | undefined;
  readonly jurisdiction: string | undefined;
}

export function identityOf(payload: JWTPayload, claims: ClaimNames = oidcDefaults.claims): TokenIdentity {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const roles = claims.roles
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], payload);
  return {
    subject: claims.subject.map((name) => text(payload[name])).find(Boolean),
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    department: text(payload[claims.department]),
    jurisdiction: text(payload[claims.jurisdiction]),
  };
}

/** jose's options for a token from `issuer` meant for the ledger. */
export function verifyOptions(issuer: string, overrides: Partial<JWTVerifyOptions> = {}): JWTVerifyOptions {
  return {
    issuer,
    audience: oidcDefaults.audience,
    algorithms: [...oidcDefaults.algorithms],
    clockTolerance: oidcDefaults.clockToleranceSeconds,
    ...overrides,
  };
}

/** The issuer URL `npm test` exports (LEDGER_TEST_OIDC_ISSUER). */
export function requireOidcIssuer(): string {
  const issuer = process.env.LEDGER_TEST_OIDC_ISSUER;
  if (!issuer) {
    throw new Error(
      'LEDGER_TEST_OIDC_ISSUER is not set: run `npm test`, or start Keycloak (node infra/keycloak/keycloak.js start) ' +
        'and set it to http://127.0.0.1:18080/realms/test-province',
    );
  }
  return issuer;
}

export interface Discovery {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly token_endpoint: string;
  readonly authorization_endpoint: string;
  readonly code_challenge_methods_supported?: string[];
  readonly id_token_signing_alg_values_supported?: string[];
}

export async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery at ${issuer} answered ${response.status}`);
  return (await response.json()) as Discovery;
}

// ---------------------------------------------------------------- the realm's people and clients

interface RealmUser {
  readonly username: string;
  readonly serviceAccountClientId?: string;
  readonly attributes?: Record<string, string[]>;
  readonly realmRoles?: string[];
  readonly credentials?: Array<{ type: string; value: string }>;
}

interface RealmClient {
  readonly clientId: string;
  readonly secret?: string;
}

/** infra/keycloak/ledger-realm.json, the one source of who is who in the test province. */
const realmFile = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'infra', 'keycloak', 'ledger-realm.json'), 'utf8'),
) as { realm: string; users: RealmUser[]; clients: RealmClient[] };

export interface Person {
  readonly username: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly department: string;
  readonly jurisdiction: string;
}

export interface MachineClient {
  readonly clientId: string;
  readonly secret: string;
  /** Its service account's username and what it carries. */
  readonly account: Omit<Person, 'password'>;
}

export function person(username: string): Person {
  const user = realmFile.users.find((u) => u.username === username);
  const password = user?.credentials?.find((c) => c.type === 'password')?.value;
  if (!user || !password) throw new Error(`no user ${username} with a password in ledger-realm.json`);
  return { ...attributesOf(user), password };
}

export function machineClient(clientId: string): MachineClient {
  const client = realmFile.clients.find((c) => c.clientId === clientId);
  const account = realmFile.users.find((u) => u.serviceAccountClientId === clientId);
  if (!client?.secret || !account)
    throw new Error(`no confidential client ${clientId} with a service account`);
  return { clientId, secret: client.secret, account: attributesOf(account) };
}

function attributesOf(user: RealmUser): Omit<Person, 'password'> {
  return {
    username: user.username,
    roles: user.realmRoles ?? [],
    department: user.attributes?.department?.[0] ?? '',
    jurisdiction: user.attributes?.jurisdiction?.[0] ?? '',
  };
}

/** Clients of the realm the tests use. */
export const clients = {
  /** A provincial system calling the ledger machine to machine (client credentials). */
  provinceExchange: () => machineClient('province-exchange'),
  /** Another service of the province: valid tokens, but for another audience. */
  librarySystem: () => machineClient('library-system'),
  console: 'ledger-console',
} as const;

/** Password grants are for the suites only (browsers use the console client, code + PKCE). */
const passwordGrantClient = (): RealmClient & { secret: string } => {
  const client = realmFile.clients.find((c) => c.clientId === 'ledger-tests');
  if (!client?.secret) throw new Error('no client ledger-tests in ledger-realm.json');
  return { clientId: client.clientId, secret: client.secret };
};

// ---------------------------------------------------------------- tokens

export interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: string;
}

export class TokenRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`token endpoint answered ${status}: ${JSON.stringify(body)}`);
  }
}

async function tokenRequest(issuer: string, form: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new TokenRefused(response.status, body);
  return body as unknown as TokenResponse;
}

export function clientCredentialsToken(issuer: string, client: MachineClient): Promise<TokenResponse> {
  return tokenRequest(issuer, {
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.secret,
  });
}

export function passwordToken(
  issuer: string,
  user: Pick<Person, 'username' | 'password'>,
): Promise<TokenResponse> {
  const client = passwordGrantClient();
  return tokenRequest(issuer, {
    grant_type: 'password',
    client_id: client.clientId,
    client_secret: client.secret,
    username: user.username,
    password: user.password,
    scope: 'openid',
  });
}

export function authorizationCodeToken(
  issuer: string,
  form: { code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenResponse & { id_token?: string }> {
  return tokenRequest(issuer, {
    grant_type: 'authorization_code',
    client_id: clients.console,
    code: form.code,
    redirect_uri: form.redirectUri,
    code_verifier: form.codeVerifier,
  });
}
