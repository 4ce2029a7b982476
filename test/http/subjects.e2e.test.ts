// Registering and reading subjects over HTTP, on both backends.
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

describe.each<Backend>(['sqlite', 'postgres'])('subjects over HTTP (%s)', (backend) => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger(backend);
  });
  afterAll(() => ledger?.stop());

  const school = {
    kind: 'training_institution',
    name: '厦门某培训学校',
    identifier: '91350213678251743X',
    jurisdiction: '350213',
  };

  it('registers a subject and reads its status once the read model caught up', async () => {
    const created = await ledger.request('POST', '/api/v1/subjects', school);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      streamRevision: expect.any(Number),
      position: expect.any(Number),
      replayed: false,
    });
    expect(created.body.eventTypes[0]).toBe('SubjectRegistered');
    const status = await ledger.request(
      'GET',
      `/api/v1/subjects/${created.body.subjectId}?minPosition=${created.body.position}`,
    );
    expect(status.status).toBe(200);
    expect(status.body.status).toMatchObject({
      subject: { name: school.name, jurisdiction: '350213' },
      grade: expect.any(String),
    });
    expect(status.headers.get('etag')).toBe(`"${created.body.streamRevision}"`);
    const byCode = await ledger.request('GET', `/api/v1/subjects?code=${school.identifier}`);
    expect(byCode.body.subjectId).toBe(created.body.subjectId);
  });

  it('refuses a second registration of the same identifier with 409', async () => {
    const again = await ledger.request('POST', '/api/v1/subjects', { ...school, name: 'another name' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SUBJECT.ALREADY_REGISTERED');
  });

  it('masks a natural person’s ID number in the status', async () => {
    const teacher = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'teacher',
      name: '张老师',
      identifier: '11010519491231002X',
      jurisdiction: '110105',
    });
    expect(teacher.status).toBe(201);
    const path = `/api/v1/subjects/${teacher.body.subjectId}?minPosition=${teacher.body.position}`;
    const withoutReason = await ledger.request('GET', path);
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.error.code).toBe('ACCESS.REASON_REQUIRED');
    const status = await ledger.request('GET', path, undefined, {
      'x-access-reason': 'checking a complaint',
    });
    expect(status.body.identifier).toBe('110105********002X');
    expect(JSON.stringify(status.body)).not.toContain('19491231');
  });

  describe('bad input changes nothing', () => {
    const cases: Array<[string, unknown, string]> = [
      ['a wrong check character', { ...school, identifier: '91350213678251743Y' }, 'identifier'],
      ['an unknown kind', { ...school, kind: 'pirate_ship' }, 'kind'],
      ['a missing name', { ...school, name: undefined }, 'name'],
      ['a bad division code', { ...school, jurisdiction: '35021' }, 'jurisdiction'],
      ['an unexpected field', { ...school, identifier: '91230500MA1B3N1N2M', admin: true }, 'admin'],
      [
        'a resident ID with an impossible birth date',
        { ...school, kind: 'teacher', identifier: '110105194902300027' },
        'identifier',
      ],
    ];
    it.each(cases)('%s → 400 naming the field', async (_name, body, field) => {
      const before = await ledger.eventCount();
      const response = await ledger.request('POST', '/api/v1/subjects', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INPUT.VALIDATION_FAILED');
      expect(response.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await ledger.eventCount()).toBe(before);
    });

    it('malformed JSON → 400, oversized body → 413, no key → 401, unknown key → 401', async () => {
      expect((await ledger.request('POST', '/api/v1/subjects', '{"kind":')).status).toBe(400);
      expect(
        (await ledger.request('POST', '/api/v1/subjects', { ...school, name: 'x'.repeat(300_000) })).status,
      ).toBe(413);
      const anonymous = await ledger.request('POST', '/api/v1/subjects', school, {}, '');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('AUTH.MISSING_API_KEY');
      expect((await ledger.request('POST', '/api/v1/subjects', school, {}, 'nope')).body.error.code).toBe(
        'AUTH.UNKNOWN_API_KEY',
      );
    });
  });

  it('refuses an official registering outside its jurisdiction with 403', async () => {
    const response = await ledger.request(
      'POST',
      '/api/v1/subjects',
      { ...school, identifier: '91350200776049653A' },
      {},
      KEYS.haidian,
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
  });

  it('answers a retried command with the same Idempotency-Key once, without new events', async () => {
    const body = {
      kind: 'school',
      name: '哈尔滨某学校',
      identifier: '11230500001755309F',
      jurisdiction: '230500',
    };
    const headers = { 'idempotency-key': 'register-11230500001755309F' };
    const first = await ledger.request('POST', '/api/v1/subjects', body, headers);
    const retry = await ledger.request('POST', '/api/v1/subjects', body, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    const misuse = await ledger.request('POST', '/api/v1/subjects', { ...body, name: 'other' }, headers);
    expect(misuse.status).toBe(422);
    expect(misuse.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('serves the OpenAPI document and health', async () => {
    const docs = await ledger.request('GET', '/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/subjects', '/api/v1/lists/black']),
    );
    const health = await ledger.request('GET', '/health', undefined, {}, '');
    expect(health.body).toMatchObject({ status: 'ok', store: { kind: backend, reachable: true } });
  });
});
