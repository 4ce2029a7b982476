// Managed API keys, end to end on PostgreSQL: issued by an admin over HTTP or with `ledger-cli keys`, stored as
// SHA-256 digests in the `api-keys` stream (never the key), the holder written as the actor of what the key
// does; rotation keeps both keys valid for the overlap; revocation and expiry refuse the key with stable
// codes, in this process at once and in a second process within its refresh interval; last use is recorded.
import { createHash } from 'node:crypto';
import { ApiKeyRegistry } from '@ledger/application';
import { API_KEYS_STREAM_ID, toSubjectStreamId } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { EXIT, run } from '../../apps/ledger-cli/src/main';
import { randomUscc } from '../support/identifiers';
import { KEYS, startLedger, type RunningLedger } from '../support/ledger-app';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap';
import { TEST_DATABASE_URL } from '../support/postgres';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

jest.setTimeout(60_000);

const holder = {
  userId: 'xm-exchange',
  role: 'official',
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};

describe('managed API keys (postgres)', () => {
  let ledger: RunningLedger;
  /** A second API process on the same store, reading the keys' stream every 200 ms. */
  let other: NestFastifyApplication;
  let otherUrl: string;

  beforeAll(async () => {
    ledger = await startLedger('postgres', { apiKeyRefreshMs: 200 });
    other = await createLedgerApp(
      { ...ledger.config, runWorkers: false, apiKeyRefreshMs: 200 },
      { logger: false, docsUi: false, apiKeys: new Map() },
    );
    await other.listen(0, '127.0.0.1');
    otherUrl = `http://127.0.0.1:${(other.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await other?.close();
    await ledger?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    ledger.request(method, `/api/v1/api-keys${path}`, body, {}, KEYS.national);
  const issue = async (extra: Record<string, unknown> = {}) => {
    const response = await admin('POST', '', { ...holder, label: 'gateway', ...extra });
    expect(response.status).toBe(201);
    return response.body as { key: string; apiKey: { keyId: string; expiresAt: string } };
  };
  const registerWith = (key: string, url = ledger.url) =>
    fetch(`${url}/api/v1/subjects`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'training_institution',
        name: '厦门某培训学校',
        identifier: randomUscc(),
        jurisdiction: '350203',
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const keysStream = () => ledger.app.get<EventStore>(EVENT_STORE).readStream(API_KEYS_STREAM_ID);

  it('issues a key shown once, stores only its digest, and the key acts as its holder', async () => {
    const response = await admin('POST', '', { ...holder, label: 'gateway' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { key, apiKey } = response.body;
    expect(key).toMatch(/^lck_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ holder, status: 'active', label: 'gateway', issuedBy: 'u-national' });
    expect(apiKey).not.toHaveProperty('secretSha256');
    // About 90 days by default.
    expect(Date.parse(apiKey.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);

    const stored = JSON.stringify(await keysStream());
    expect(stored).not.toContain(key.split('_')[2]);
    expect(stored).toContain(createHash('sha256').update(key).digest('hex'));

    const registered = await registerWith(key);
    expect(registered.status).toBe(201);
    const [event] = await ledger.app
      .get<EventStore>(EVENT_STORE)
      .readStream(toSubjectStreamId(registered.body.subjectId));
    expect(event!.metadata.actor).toEqual(holder);
    const listed = (await admin('GET', '')).body.keys.find(
      (k: { keyId: string }) => k.keyId === apiKey.keyId,
    );
    expect(listed).toMatchObject({ status: 'active' });
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('a key issued in one process works in another at once; revoked, it is refused there within the refresh', async () => {
    const { key, apiKey } = await issue();
    expect((await registerWith(key, otherUrl)).status).toBe(201);
    expect((await admin('POST', `/${apiKey.keyId}/revocation`, { reason: 'gateway retired' })).status).toBe(
      200,
    );
    const here = await registerWith(key);
    expect([here.status, here.body.error.code]).toEqual([401, 'AUTH.API_KEY_REVOKED']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const there = await registerWith(key, otherUrl);
    expect([there.status, there.body.error.code]).toEqual([401, 'AUTH.API_KEY_REVOKED']);
    expect((await admin('POST', `/${apiKey.keyId}/revocation`, { reason: 'again' })).body.error.code).toBe(
      'API_KEY.ALREADY_REVOKED',
    );
  });

  it('rotation: both keys valid during the overlap, the old one refused after it', async () => {
    const { key: oldKey, apiKey } = await issue();
    const overlapUntil = new Date(Date.now() + 1_500).toISOString();
    const rotated = await admin('POST', `/${apiKey.keyId}/rotation`, { overlapUntil });
    expect(rotated.status).toBe(201);
    const { key: newKey, apiKey: replacement, previous } = rotated.body;
    expect(replacement).toMatchObject({ holder, rotatedFrom: apiKey.keyId, status: 'active' });
    expect(previous).toMatchObject({
      keyId: apiKey.keyId,
      replacedBy: replacement.keyId,
      expiresAt: overlapUntil,
    });
    expect((await registerWith(oldKey)).status).toBe(201);
    expect((await registerWith(newKey)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const expired = await registerWith(oldKey);
    expect([expired.status, expired.body.error.code]).toEqual([401, 'AUTH.API_KEY_EXPIRED']);
    expect((await registerWith(newKey)).status).toBe(201);
    expect((await admin('POST', `/${apiKey.keyId}/rotation`, {})).body.error.code).toBe('API_KEY.NOT_ACTIVE');
  });

  it('refuses what cannot be right, with the field or a stable code; a key one character off is unknown', async () => {
    const { key } = await issue();
    const fields = async (body: unknown) => {
      const response = await admin('POST', '', body);
      expect(response.status).toBe(400);
      return response.body.error.fields?.map((f: { field: string }) => f.field) ?? [response.body.error.code];
    };
    expect(await fields({ ...holder, role: 'superuser' })).toEqual(['role']);
    expect(await fields({ ...holder, jurisdiction: '35' })).toEqual(['jurisdiction']);
    expect(await fields({ ...holder, expiresAt: '2020-01-01T00:00:00Z' })).toEqual(['expiresAt']);
    expect(
      await fields({ ...holder, expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }),
    ).toEqual(['expiresAt']);
    expect((await admin('POST', '/AAAAAAAAAAAAAAAA/revocation', { reason: 'x' })).status).toBe(404);
    const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const refused = await registerWith(forged);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'AUTH.UNKNOWN_API_KEY']);
  });

  it('only admins manage keys', async () => {
    const response = await ledger.request('GET', '/api/v1/api-keys', undefined, {}, KEYS.xiamen);
    expect(response.status).toBe(403);
    expect((await ledger.request('POST', '/api/v1/api-keys', holder, {}, '')).status).toBe(401);
  });

  describe('with ledger-cli keys', () => {
    const saved = { ...process.env };
    let out: string[] = [];
    let err: string[] = [];
    beforeAll(() => {
      Object.assign(process.env, {
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: ledger.config.databaseSchema,
        LEDGER_CLI_USER: 'ops-wang',
      });
    });
    afterAll(() => {
      process.env = saved;
    });
    beforeEach(() => {
      out = [];
      err = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    });
    afterEach(() => jest.restoreAllMocks());
    const cli = (...argv: string[]) => run(argv);

    it('create, list (with last use), rotate, revoke: the running ledger follows', async () => {
      const create = [
        'keys',
        'create',
        '--user',
        'hx-exchange',
        '--role',
        'official',
        '--department',
        'xiamen-education-bureau',
        '--jurisdiction',
        '350200',
        '--expires-in-days',
        '30',
      ];
      expect(await cli(...create, '--json')).toBe(EXIT.ok);
      const created = JSON.parse(out.join('')) as {
        key: string;
        apiKey: { keyId: string; issuedBy: string };
      };
      expect(created.apiKey.issuedBy).toBe('ops-wang');
      jest.restoreAllMocks();
      expect((await registerWith(created.key)).status).toBe(201);

      // The ledger writes last uses at its next flush (or when it stops); the CLI reads them from the store.
      await ledger.app.get(ApiKeyRegistry).flushUsage();
      out = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
      expect(await cli('keys', 'list', '--json')).toBe(EXIT.ok);
      const listed = out
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { keyId: string; lastUsedAt?: string; secretSha256?: string });
      const mine = listed.find((k) => k.keyId === created.apiKey.keyId)!;
      expect(mine.lastUsedAt).toBeDefined();
      expect(mine).not.toHaveProperty('secretSha256');

      out = [];
      expect(await cli('keys', 'rotate', created.apiKey.keyId, '--overlap-hours', '1')).toBe(EXIT.ok);
      const rotatedKey = out.join('').trim();
      expect(rotatedKey).toMatch(/^lck_/);
      expect(err.join('')).toContain('shown this once');
      expect(await cli('keys', 'revoke', created.apiKey.keyId, '--reason', 'leaked in a ticket')).toBe(
        EXIT.ok,
      );
      expect(await cli('keys', 'revoke', 'AAAAAAAAAAAAAAAA', '--reason', 'x')).toBe(EXIT.notFound);
      expect(await cli('keys', 'create', '--user', 'x', '--role', 'root')).toBe(EXIT.usage);
      jest.restoreAllMocks();

      // The running ledger re-reads the stream within its refresh interval (200 ms here).
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await registerWith(created.key)).body.error.code).toBe('AUTH.API_KEY_REVOKED');
      expect((await registerWith(rotatedKey)).status).toBe(201);
    });
  });
});
