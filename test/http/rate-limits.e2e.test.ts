// Rate limits: per address, per principal (the credential presented), stricter without a credential and
// after failed authentications, and on routes marked @RateLimited; each a 429 with Retry-After that resets.
// The ledger trusts 127.0.0.1 as a proxy here, so X-Forwarded-For gives each test an address of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@ledger/runtime';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap';
import { KEYS, testApiKeys } from '../support/ledger-app';

const WINDOW_MS = 1_000;

describe('rate limits', () => {
  let app: NestFastifyApplication;
  let url: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-rate-'));
    app = await createLedgerApp(
      {
        ...loadConfig({}),
        dataDir,
        rateLimitWindowMs: WINDOW_MS,
        rateLimitPerPrincipal: 5,
        rateLimitPerAddress: 12,
        rateLimitAnonymous: 3,
        rateLimitFailedAuth: 3,
        rateLimitLookups: 2,
        trustedProxies: '127.0.0.1',
        runWorkers: false,
      },
      { apiKeys: testApiKeys, logger: false, docsUi: false },
    );
    // A route of the test's own with the route config @RateLimited('lookup') gives a Nest handler.
    app
      .getHttpAdapter()
      .getInstance()
      .get('/limited-lookup', { config: { ledgerRateLimit: 'lookup' } }, async () => ({ ok: true }));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let address = 0;
  const nextAddress = () => `203.0.113.${++address}`;
  const get = async (path: string, from: string, key: string | null = KEYS.national) => {
    const response = await fetch(`${url}${path}`, {
      headers: { 'x-forwarded-for': from, ...(key ? { 'x-api-key': key } : {}) },
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  const statuses = async (n: number, send: () => ReturnType<typeof get>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  };
  const expectLimited = (response: Awaited<ReturnType<typeof get>>, code: string) => {
    expect(response.status).toBe(429);
    expect(response.body.error.code).toBe(code);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
    expect(response.headers.get('x-request-id')).toBeTruthy();
  };
  const nextWindow = () => new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));

  it('limits each credential, wherever it is used from, and resets after the window', async () => {
    const [a, b] = [nextAddress(), nextAddress()];
    expect(await statuses(3, () => get('/api/v1/lists/red', a, KEYS.haidian))).toEqual([200, 200, 200]);
    expect(await statuses(2, () => get('/api/v1/lists/red', b, KEYS.haidian))).toEqual([200, 200]);
    expectLimited(await get('/api/v1/lists/red', b, KEYS.haidian), 'RATE.LIMITED');
    // Another credential from the same address is its own principal.
    expect((await get('/api/v1/lists/red', b, KEYS.xiamen)).status).toBe(200);
    await nextWindow();
    expect((await get('/api/v1/lists/red', a, KEYS.haidian)).status).toBe(200);
  });

  it('limits each address over all its credentials', async () => {
    const from = nextAddress();
    const keys = [KEYS.national, KEYS.haidian, KEYS.xiamen];
    let i = 0;
    const answers = await statuses(13, () => get('/api/v1/lists/red', from, keys[i++ % 3]!));
    // Not refused by a limit (what each role may read is another matter: 200 or 403).
    expect(answers.slice(0, 12).filter((status) => status === 429)).toEqual([]);
    expect(answers[12]).toBe(429);
    await nextWindow();
    expect((await get('/api/v1/lists/red', from, KEYS.haidian)).status).toBe(200);
  });

  it('is stricter without a credential (health, public disclosures)', async () => {
    const from = nextAddress();
    expect(await statuses(3, () => get('/api/v1/disclosures/penalties', from, null))).toEqual([
      200, 200, 200,
    ]);
    expectLimited(await get('/health', from, null), 'RATE.LIMITED');
    expect((await get('/health', from)).status).toBe(200); // with a credential: its own limit
    await nextWindow();
    expect((await get('/health', from, null)).status).toBe(200);
  });

  it('shuts an address out after repeated failed authentication, even for a valid key, until the window ends', async () => {
    const [guesser, other] = [nextAddress(), nextAddress()];
    const guesses = await statuses(4, () => get('/api/v1/lists/red', guesser, `guess-${Math.random()}`));
    expect(guesses).toEqual([401, 401, 401, 401]);
    const next = await get('/api/v1/lists/red', guesser, KEYS.haidian);
    expectLimited(next, 'RATE.TOO_MANY_FAILED_AUTHENTICATIONS');
    expectLimited(
      await get('/api/v1/lists/red', guesser, 'guess-again'),
      'RATE.TOO_MANY_FAILED_AUTHENTICATIONS',
    );
    expect((await get('/api/v1/lists/red', other, KEYS.haidian)).status).toBe(200);
    await nextWindow();
    expect((await get('/api/v1/lists/red', guesser, KEYS.haidian)).status).toBe(200);
  });

  it('limits lookups by identifier (POST /subjects/lookup, GET /subjects?code=) per principal', async () => {
    const from = nextAddress();
    const lookup = () =>
      fetch(`${url}/api/v1/subjects/lookup`, {
        method: 'POST',
        headers: { 'x-forwarded-for': from, 'x-api-key': KEYS.haidian, 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: '91350213678251743X' }),
      });
    const answers = [await lookup(), await lookup(), await lookup()];
    expect(answers.slice(0, 2).map((a) => a.status)).not.toContain(429);
    expect(answers[2]!.status).toBe(429);
    expect(((await answers[2]!.json()) as any).error.code).toBe('RATE.LIMITED');
    const byCode = await statuses(3, () =>
      get('/api/v1/subjects?code=91350213678251743X', from, KEYS.xiamen),
    );
    expect(byCode.slice(0, 2)).not.toContain(429);
    expect(byCode[2]).toBe(429);
    await nextWindow(); // the keys' principal counters too
  });

  it('applies a route’s stricter tier (@RateLimited) per principal', async () => {
    const from = nextAddress();
    expect(await statuses(2, () => get('/limited-lookup', from, KEYS.haidian))).toEqual([200, 200]);
    expectLimited(await get('/limited-lookup', from, KEYS.haidian), 'RATE.LIMITED');
    expect((await get('/limited-lookup', from, KEYS.xiamen)).status).toBe(200);
    expect((await get('/api/v1/lists/red', from, KEYS.haidian)).status).toBe(200); // other routes: the principal limit
    await nextWindow();
    expect((await get('/limited-lookup', from, KEYS.haidian)).status).toBe(200);
  });
});
