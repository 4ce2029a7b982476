// The identity provider the ledger's sign-in will trust, proven on the real Keycloak of `npm test`
// (infra/keycloak): machine and personal tokens carry the claims the ledger reads and verify with jose
// against the discovered JWKS, and tokens for another audience, expired, re-signed with HS256 using the
// public key, unsigned or forged are refused with the same options.
import { createHash, randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type KeyLike,
  type JWTPayload,
} from 'jose';
import {
  authorizationCodeToken,
  clientCredentialsToken,
  clients,
  discover,
  identityOf,
  passwordToken,
  person,
  requireOidcIssuer,
  TokenRefused,
  verifyOptions,
  type Discovery,
  type Person,
} from '../support/keycloak';

jest.setTimeout(60_000);

describe('the test province identity provider (Keycloak)', () => {
  const issuer = requireOidcIssuer();
  let discovery: Discovery;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  const verify = (token: string, overrides = {}) => jwtVerify(token, jwks, verifyOptions(issuer, overrides));
  const refusal = (token: string, overrides = {}) =>
    verify(token, overrides).then(
      () => {
        throw new Error('the token was accepted');
      },
      (error: Error & { code?: string; claim?: string }) => error,
    );

  beforeAll(async () => {
    discovery = await discover(issuer);
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  });

  it('publishes discovery for its issuer, with a JWKS and PKCE S256', () => {
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.jwks_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
  });

  describe('a provincial system calling machine to machine (client credentials)', () => {
    it('gets an RS256 token that verifies and names its service account, role, department and jurisdiction', async () => {
      const client = clients.provinceExchange();
      const { access_token } = await clientCredentialsToken(issuer, client);
      const { payload, protectedHeader } = await verify(access_token);
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.aud).toContain('credit-ledger');
      expect(payload.azp).toBe(client.clientId);
      expect(identityOf(payload)).toEqual({
        subject: client.account.username,
        roles: expect.arrayContaining(client.account.roles),
        department: client.account.department,
        jurisdiction: client.account.jurisdiction,
      });
    });
  });

  describe('officials signing in (password grants, for the suites)', () => {
    it.each(['xiamen-official', 'fujian-auditor'])(
      '%s gets a token with their roles, department and jurisdiction as top-level claims',
      async (username) => {
        const user = person(username);
        const { payload } = await verify((await passwordToken(issuer, user)).access_token);
        expectIdentity(payload, user);
        expect(typeof payload.sub).toBe('string');
      },
    );

    it('the two officials are told apart', async () => {
      const [official, auditor] = await Promise.all(
        ['xiamen-official', 'fujian-auditor'].map(async (name) =>
          identityOf((await verify((await passwordToken(issuer, person(name))).access_token)).payload),
        ),
      );
      expect(official!.subject).not.toBe(auditor!.subject);
      expect(official!.jurisdiction).not.toBe(auditor!.jurisdiction);
    });

    it('a tax bureau clerk gets a valid token carrying none of the ledger roles', async () => {
      const clerk = person('xiamen-tax-clerk');
      const { payload } = await verify((await passwordToken(issuer, clerk)).access_token);
      const ledgerRoles = ['admin', 'official', 'reviewer', 'auditor', 'discipline-system'];
      expect(identityOf(payload).roles).toContain('tax-bureau');
      expect(identityOf(payload).roles.filter((role) => ledgerRoles.includes(role))).toEqual([]);
    });

    it('a wrong password gets no token', async () => {
      const error = await passwordToken(issuer, { username: 'xiamen-official', password: 'guess' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TokenRefused);
      expect((error as TokenRefused).status).toBe(400); // RFC 6749 §5.2: invalid_grant is a 400
      expect((error as TokenRefused).body.error).toBe('invalid_grant');
    });
  });

  describe('the browser console (authorization code + PKCE, public client)', () => {
    it('signs an official in on any loopback port under /console/ and the code redeems with the verifier', async () => {
      const user = person('xiamen-official');
      const redirectUri = `http://127.0.0.1:${40000 + (randomBytes(2).readUInt16BE() % 20000)}/console/callback`;
      const codeVerifier = randomBytes(32).toString('base64url');
      const code = await signInThroughLoginForm(discovery, user, redirectUri, codeVerifier);

      const wrongVerifier = await authorizationCodeToken(issuer, {
        code,
        redirectUri,
        codeVerifier: randomBytes(32).toString('base64url'),
      }).catch((e: TokenRefused) => e);
      expect((wrongVerifier as TokenRefused).status).toBe(400);

      // A refused redemption burns the code (single use): sign in again and redeem properly.
      const secondCode = await signInThroughLoginForm(discovery, user, redirectUri, codeVerifier);
      const tokens = await authorizationCodeToken(issuer, { code: secondCode, redirectUri, codeVerifier });
      expectIdentity((await verify(tokens.access_token)).payload, user);
    });

    it('refuses a redirect outside /console/ and a request without a PKCE challenge', async () => {
      const outside = await authorize(discovery, {
        redirect_uri: 'http://127.0.0.1:41234/elsewhere/callback',
        code_challenge: pkceChallenge(randomBytes(32).toString('base64url')),
        code_challenge_method: 'S256',
      });
      expect(outside.status).toBe(400);

      const redirectUri = 'http://127.0.0.1:41234/console/callback';
      const noPkce = await authorize(discovery, { redirect_uri: redirectUri });
      const location = new URL(noPkce.headers.get('location') ?? 'http://invalid/');
      expect(noPkce.status).toBe(302);
      expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
    });
  });

  describe('what jose refuses with the ledger options', () => {
    it('a token of the same provider for another audience', async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.librarySystem());
      expect(decodeJwt(access_token).aud).toBe('library-api'); // otherwise a perfectly good token
      const error = await refusal(access_token);
      expect(error.code).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
      expect(error.claim).toBe('aud');
    });

    it('an expired token, beyond the bounded clock skew (and not within it)', async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.provinceExchange());
      const exp = decodeJwt(access_token).exp!;
      const at = (seconds: number) => ({ currentDate: new Date(seconds * 1000) });
      await expect(verify(access_token, at(exp + 10))).resolves.toBeDefined();
      expect((await refusal(access_token, at(exp + 31))).code).toBe('ERR_JWT_EXPIRED');
    });

    it('a token re-signed with HS256 using the public key as the secret', async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.provinceExchange());
      const { kid } = decodeProtectedHeader(access_token);
      const jwk = ((await (await fetch(discovery.jwks_uri)).json()) as { keys: JWK[] }).keys.find(
        (k) => k.kid === kid,
      )!;
      const publicPem = await exportSPKI((await importJWK(jwk, 'RS256')) as KeyLike);
      const forged = await new SignJWT(decodeJwt(access_token))
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(publicPem));
      expect((await refusal(forged)).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    });

    it('an unsigned token (alg none)', async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.provinceExchange());
      const unsigned = new UnsecuredJWT(decodeJwt(access_token)).encode();
      expect(['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWS_INVALID']).toContain((await refusal(unsigned)).code);
    });

    it("a token signed with another key under the provider's kid", async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.provinceExchange());
      const { kid } = decodeProtectedHeader(access_token);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(decodeJwt(access_token) as JWTPayload)
        .setProtectedHeader({ alg: 'RS256', kid })
        .sign(privateKey);
      expect((await refusal(forged)).code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    });
  });
});

function expectIdentity(payload: JWTPayload, user: Person): void {
  expect(payload.aud).toContain('credit-ledger');
  expect(identityOf(payload)).toEqual({
    subject: user.username,
    roles: expect.arrayContaining(user.roles),
    department: user.department,
    jurisdiction: user.jurisdiction,
  });
}

const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function authorize(discovery: Discovery, params: Record<string, string>, cookies = ''): Promise<Response> {
  const url = new URL(discovery.authorization_endpoint);
  for (const [name, value] of Object.entries({
    client_id: clients.console,
    response_type: 'code',
    scope: 'openid',
    state: randomBytes(8).toString('hex'),
    ...params,
  })) {
    url.searchParams.set(name, value);
  }
  return fetch(url, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
}

/** What a browser does: open the login page, post the form with its cookies, follow to the redirect URI. */
async function signInThroughLoginForm(
  discovery: Discovery,
  user: Person,
  redirectUri: string,
  codeVerifier: string,
): Promise<string> {
  const page = await authorize(discovery, {
    redirect_uri: redirectUri,
    code_challenge: pkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  expect(page.status).toBe(200);
  const cookies = page.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  const action = (await page.text()).match(/<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/)?.[1];
  if (!action) throw new Error('no login form on the authorization page');
  const login = await fetch(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ username: user.username, password: user.password }),
  });
  expect(login.status).toBe(302);
  const location = new URL(login.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return location.searchParams.get('code')!;
}
