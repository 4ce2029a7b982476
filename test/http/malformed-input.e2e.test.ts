// Input that once reached code unprepared for it (500s) now gets a 400 with a stable code naming the field.
import { startLedger, type RunningLedger } from '../support/ledger-app';

describe('malformed input over HTTP', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger('sqlite');
  });
  afterAll(() => ledger?.stop());

  const deep = (levels: number) => `{"kind":${'['.repeat(levels)}${']'.repeat(levels)}}`;

  it('refuses JSON nested deeper than the limit before validation walks it', async () => {
    for (const body of [
      deep(20_000),
      '['.repeat(20_000) + ']'.repeat(20_000),
      `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
    ]) {
      const response = await ledger.refuses(() => ledger.request('POST', '/api/v1/subjects', body));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INPUT.TOO_DEEP');
    }
    // Brackets inside strings do not count, and the limit itself is allowed.
    const ok = await ledger.request('POST', '/api/v1/subjects', { kind: 'teacher', name: '['.repeat(100) });
    expect(ok.status).toBe(400);
    expect(ok.body.error.code).toBe('INPUT.VALIDATION_FAILED');
  });

  it('names a number JSON cannot carry, with or without Idempotency-Key', async () => {
    const body =
      '{"kind":"teacher","name":"张老师","identifier":"11010519491231002X","jurisdiction":"350203","x":{"y":[1,1e999]}}';
    for (const headers of [{}, { 'idempotency-key': 'k-1e999' }] as Record<string, string>[]) {
      const response = await ledger.refuses(() => ledger.request('POST', '/api/v1/subjects', body, headers));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'INPUT.VALIDATION_FAILED',
        fields: [{ field: 'x.y[1]', reasons: [expect.stringContaining('finite')] }],
      });
    }
  });

  it('names a text JSON cannot hash (a NUL) sent with Idempotency-Key', async () => {
    const response = await ledger.refuses(() =>
      ledger.request(
        'POST',
        '/api/v1/subjects',
        { kind: 'teacher', name: 'a\u0000b' },
        { 'idempotency-key': 'k-nul' },
      ),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'INPUT.VALIDATION_FAILED',
      fields: [{ field: 'name' }],
    });
  });

  it('refuses a body that is not UTF-8', async () => {
    const response = await fetch(`${ledger.url}/api/v1/subjects`, {
      method: 'POST',
      headers: { 'x-api-key': 'test-national', 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe('INPUT.INVALID_UTF8');
  });

  it('refuses a query parameter given twice where one is expected, naming it', async () => {
    for (const path of [
      '/api/v1/subjects?code=91350213678251743X&code=b',
      '/api/v1/subjects/0193a1f2-7c4e-7b1a-9f00-2b1c3d4e5f60?minPosition=1&minPosition=2',
      '/api/v1/lists/red?page=1&page=2',
      '/api/v1/disclosures/penalties?jurisdiction=350200&jurisdiction=350200',
    ]) {
      const response = await ledger.request('GET', path);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INPUT.VALIDATION_FAILED');
      expect(response.body.error.fields[0].reasons[0]).toMatch(/must be given once/);
    }
  });

  it('refuses prototype poisoning and bodies of another content type', async () => {
    for (const body of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}']) {
      const response = await ledger.refuses(() => ledger.request('POST', '/api/v1/subjects', body));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toMatch(/^(HTTP|INPUT)\./);
    }
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await ledger.refuses(() =>
        ledger.request('POST', '/api/v1/subjects', 'kind=teacher', { 'content-type': contentType }),
      );
      expect(response.status).toBe(415);
      expect(response.body.error.code).toBe('HTTP.UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers other methods 404, changing nothing', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await ledger.refuses(() =>
        ledger.request(method, '/api/v1/subjects', { kind: 'teacher' }),
      );
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('HTTP.NOT_FOUND');
    }
  });

  it('answers an oversize body 413 with a stable code', async () => {
    const response = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'teacher',
      name: 'x'.repeat(300_000),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('HTTP.PAYLOAD_TOO_LARGE');
  });
});
