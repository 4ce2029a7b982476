// Sign-in with the province's identity provider, end to end: the real ledger (embedded store) trusts the real
// Keycloak of `npm test` (LEDGER_OIDC_ISSUER = the test province's realm), accepts its machine and personal
// tokens beside API keys and writes the token's caller into the events; expired, foreign, forged and unsigned
// tokens are refused with stable 401 codes, tokens without a ledger role with 403, and every refusal is
// logged without the credential.
import {
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import type { JWK, KeyLike } from 'jose';
import { Logger } from '@nestjs/common';
import { toSubjectStreamId } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { JsonLogger, loadConfig } from '@ledger/runtime';
import { randomUscc } from '../support/identifiers';
import {
  clientCredentialsToken,
  clients,
  discover,
  oidcDefaults,
  passwordToken,
  person,
  requireOidcIssuer,
} from '../support/keycloak';
import { KEYS, startLedger, type RunningLedger } from '../support/ledger-app';

jest.setTimeout(60_000);

const issuer = requireOidcIssuer();
const oidcOf = (env: Record<string, string> = {}) =>
  loadConfig({ LEDGER_OIDC_ISSUER: issuer, LEDGER_OIDC_AUDIENCE: 'credit-ledger', ...env }).oidc;

describe('sign-in with the province identity provider', () => {
  let ledger: RunningLedger;
  /** Added to the ledger's clock when it checks a token. */
  let clockOffsetMs = 0;
  const logLines: Record<string, unknown>[] = [];
  const written: string[] = [];
  const logger = new JsonLogger('warn', (line) => {
    written.push(line);
    logLines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });

  beforeAll(async () => {
    ledger = await startLedger('sqlite', { oidc: oidcOf() }, undefined, {
      tokens: { now: () => new Date(Date.now() + clockOffsetMs) },
      logger,
    });
  });
  afterAll(() => ledger?.stop());
  afterEach(() => {
    clockOffsetMs = 0;
  });

  const asBearer = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...extra,
  });
  const register = (token: string, jurisdiction = '350203', extra: Record<string, string> = {}) =>
    ledger.request(
      'POST',
      '/api/v1/subjects',
      { kind: 'training_institution', name: '厦门某培训学校', identifier: randomUscc(), jurisdiction },
      asBearer(token, extra),
      '',
    );
  const actorOfSubject = async (subjectId: string) => {
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const [registered] = await store.readStream(toSubjectStreamId(subjectId));
    return registered!.metadata.actor;
  };
  const refusedWith = async (token: string, status: number, code: string) => {
    const response = await ledger.refuses(() => register(token));
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    return response;
  };
  const officialToken = async () => (await passwordToken(issuer, person('xiamen-official'))).access_token;
  const machineToken = async () =>
    (await clientCredentialsToken(issuer, clients.provinceExchange())).access_token;

  describe('accepted', () => {
    it("an official's password-grant token: the event names the official, role, department and jurisdiction", async () => {
      const official = person('xiamen-official');
      const response = await register(await officialToken());
      expect(response.status).toBe(201);
      expect(await actorOfSubject(response.body.subjectId)).toEqual({
        userId: official.username,
        role: 'official',
        department: official.department,
        jurisdiction: official.jurisdiction,
      });
    });

    it("a provincial system's client-credentials token: the event names its service account", async () => {
      const account = clients.provinceExchange().account;
      // Its realm role is discipline-system, which records nothing; this ledger's LEDGER_OIDC_ROLE_MAP lets
      // the provincial exchange act as an official (a province's role names are configuration too).
      const other = await startLedger(
        'sqlite',
        { oidc: oidcOf({ LEDGER_OIDC_ROLE_MAP: JSON.stringify({ 'discipline-system': 'official' }) }) },
        undefined,
      );
      try {
        const response = await other.request(
          'POST',
          '/api/v1/subjects',
          {
            kind: 'training_institution',
            name: '福建某培训学校',
            identifier: randomUscc(),
            jurisdiction: '350203',
          },
          asBearer(await machineToken()),
          '',
        );
        expect(response.status).toBe(201);
        const store = other.app.get<EventStore>(EVENT_STORE);
        const [event] = await store.readStream(toSubjectStreamId(response.body.subjectId));
        expect(event!.metadata.actor).toEqual({
          userId: account.username,
          role: 'official',
          department: account.department,
          jurisdiction: account.jurisdiction,
        });
      } finally {
        await other.stop();
      }
    });

    it('API keys keep working beside tokens (X-API-Key and a non-JWT bearer)', async () => {
      const body = {
        kind: 'training_institution',
        name: '厦门某培训学校',
        identifier: randomUscc(),
        jurisdiction: '350203',
      };
      expect((await ledger.request('POST', '/api/v1/subjects', body, {}, KEYS.xiamen)).status).toBe(201);
      const bearerKey = await ledger.request(
        'POST',
        '/api/v1/subjects',
        { ...body, identifier: randomUscc() },
        { authorization: `Bearer ${KEYS.xiamen}` },
        '',
      );
      expect(bearerKey.status).toBe(201);
      expect((await actorOfSubject(bearerKey.body.subjectId))?.userId).toBe('u-xiamen');
    });

    it('a token just past exp but within the clock skew (30 s)', async () => {
      const token = await officialToken();
      clockOffsetMs = (decodeJwt(token).exp! + 10) * 1000 - Date.now();
      expect((await register(token)).status).toBe(201);
    });
  });

  describe('refused', () => {
    it('expired beyond the clock skew → 401 AUTH.TOKEN_EXPIRED, with WWW-Authenticate (also once accepted and cached)', async () => {
      const token = await officialToken();
      expect((await register(token)).status).toBe(201); // verified once: the ledger remembers it until exp
      clockOffsetMs = (decodeJwt(token).exp! + 31) * 1000 - Date.now();
      const response = await refusedWith(token, 401, 'AUTH.TOKEN_EXPIRED');
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="AUTH.TOKEN_EXPIRED"',
      );
    });

    it('a token of the same provider for another audience → 401 AUTH.TOKEN_INVALID', async () => {
      const { access_token } = await clientCredentialsToken(issuer, clients.librarySystem());
      expect(decodeJwt(access_token).aud).toBe('library-api');
      await refusedWith(access_token, 401, 'AUTH.TOKEN_INVALID');
    });

    it('a token from another issuer, signed with the same key → 401 AUTH.TOKEN_INVALID', async () => {
      // Keycloak writes the host it was asked on into iss: localhost is not the configured 127.0.0.1.
      const elsewhere = issuer.replace('127.0.0.1', 'localhost');
      const { access_token } = await clientCredentialsToken(elsewhere, clients.provinceExchange());
      expect(decodeJwt(access_token).iss).toBe(elsewhere);
      await refusedWith(access_token, 401, 'AUTH.TOKEN_INVALID');
    });

    it('a tampered payload (jurisdiction raised to national) under the original signature → 401', async () => {
      const [header, payload, signature] = (await officialToken()).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...claims, jurisdiction: '000000' })).toString(
        'base64url',
      );
      await refusedWith(`${header}.${tampered}.${signature}`, 401, 'AUTH.TOKEN_INVALID');
    });

    it("signed with another key under the provider's kid → 401 AUTH.TOKEN_INVALID", async () => {
      const token = await officialToken();
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(decodeJwt(token))
        .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(token).kid })
        .sign(privateKey);
      await refusedWith(forged, 401, 'AUTH.TOKEN_INVALID');
    });

    it('unsigned (alg none) → 401 AUTH.TOKEN_INVALID', async () => {
      const unsigned = new UnsecuredJWT(decodeJwt(await officialToken())).encode();
      await refusedWith(unsigned, 401, 'AUTH.TOKEN_INVALID');
    });

    it('re-signed with HS256 using the public key as the secret → 401 AUTH.TOKEN_INVALID', async () => {
      const token = await officialToken();
      const { kid } = decodeProtectedHeader(token);
      const discovery = await discover(issuer);
      const jwk = ((await (await fetch(discovery.jwks_uri)).json()) as { keys: JWK[] }).keys.find(
        (k) => k.kid === kid,
      )!;
      const publicPem = await exportSPKI((await importJWK(jwk, 'RS256')) as KeyLike);
      const forged = await new SignJWT(decodeJwt(token))
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(publicPem));
      await refusedWith(forged, 401, 'AUTH.TOKEN_INVALID');
    });

    it('a valid token carrying none of the ledger roles (a tax bureau clerk) → 403 AUTH.NO_LEDGER_ROLE', async () => {
      const { access_token } = await passwordToken(issuer, person('xiamen-tax-clerk'));
      await refusedWith(access_token, 403, 'AUTH.NO_LEDGER_ROLE');
    });

    it('X-Ledger-Role naming a role the token does not carry → 403 AUTH.ROLE_NOT_HELD', async () => {
      const token = await officialToken();
      const response = await ledger.refuses(() => register(token, '350203', { 'x-ledger-role': 'admin' }));
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('AUTH.ROLE_NOT_HELD');
    });

    it('a token sent to a ledger with no identity provider configured → 401 AUTH.TOKENS_NOT_ACCEPTED', async () => {
      const plain = await startLedger('sqlite');
      try {
        const response = await plain.request(
          'GET',
          '/api/v1/calendar/years',
          undefined,
          asBearer(await officialToken()),
          '',
        );
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('AUTH.TOKENS_NOT_ACCEPTED');
      } finally {
        await plain.stop();
      }
    });

    it('every refusal is logged (code, reason, path, never the credential)', async () => {
      const token = await officialToken();
      const signature = token.split('.')[2]!;
      // Nest's logger is one per process: the other ledgers started above (logger off) replaced ours.
      Logger.overrideLogger(logger);
      const before = logLines.length;
      clockOffsetMs = (decodeJwt(token).exp! + 60) * 1000 - Date.now();
      await register(token);
      await ledger.request(
        'GET',
        '/api/v1/calendar/years?code=110101199003077777',
        undefined,
        {},
        'wrong-key-123',
      );
      const lines = logLines.slice(before).filter((line) => line.msg === 'authentication failed');
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'warn',
          code: 'AUTH.TOKEN_EXPIRED',
          credential: 'token',
          path: '/api/v1/subjects',
        }),
        expect.objectContaining({
          code: 'AUTH.UNKNOWN_API_KEY',
          credential: 'api-key',
          path: '/api/v1/calendar/years',
        }),
      ]);
      const all = written.join('');
      expect(all).not.toContain(signature);
      expect(all).not.toContain('wrong-key-123');
      expect(all).not.toContain('110101199003077777');
    });
  });

  describe('the token check in the ledger configuration', () => {
    it('defaults to what the identity suite proves of the provider (test/support/keycloak.ts)', () => {
      const oidc = oidcOf()!;
      expect({
        audience: oidc.audience,
        algorithms: oidc.algorithms,
        clockToleranceSeconds: oidc.clockSkewSeconds,
        claims: oidc.claims,
      }).toEqual({
        ...oidcDefaults,
        algorithms: [...oidcDefaults.algorithms],
        claims: { ...oidcDefaults.claims, subject: [...oidcDefaults.claims.subject] },
      });
    });

    it('refuses HS256 and none in LEDGER_OIDC_ALGORITHMS, an issuer without an audience, plain http off loopback', () => {
      expect(() => oidcOf({ LEDGER_OIDC_ALGORITHMS: 'RS256,HS256,none' })).toThrow(
        /LEDGER_OIDC_ALGORITHMS may name only asymmetric algorithms .*refused: HS256, none/,
      );
      expect(() => loadConfig({ LEDGER_OIDC_ISSUER: issuer })).toThrow(/LEDGER_OIDC_AUDIENCE/);
      expect(() => oidcOf({ LEDGER_OIDC_ISSUER: 'http://idp.example.org/realms/x' })).toThrow(/https URL/);
      expect(() => oidcOf({ LEDGER_OIDC_CLOCK_SKEW_SECONDS: '3600' })).toThrow(/at most 300/);
    });
  });
});
