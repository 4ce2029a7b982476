// Reads of natural persons over HTTP: no identifier oracle (one answer for unknown and not permitted, every
// lookup logged, no ID number in a URL), purposes from the access policy, and the global feed's reads logged.
import { connect } from 'node:net';
import { subjectIdFor } from '@ledger/application';
import { residentIdCheckCharacter } from '@ledger/domain';
import type { Actor } from '@ledger/event-store';
import { startLedger, testApiKeys, type RunningLedger } from '../support/ledger-app';

const residentId = (first17: string) => first17 + residentIdCheckCharacter(first17);
const TEACHER = residentId('35020319790921301');
const UNKNOWN = residentId('35020319790921302');

const keys = new Map<string, Actor>([
  ...testApiKeys,
  [
    'henan-official',
    { userId: 'u-henan', role: 'official', department: 'henan-education', jurisdiction: '410000' },
  ],
  ['tax-fujian', { userId: 'u-tax', role: 'tax-bureau', department: 'fujian-tax', jurisdiction: '350000' }],
  [
    'fujian-auditor',
    { userId: 'u-fj-auditor', role: 'auditor', department: 'fujian-audit', jurisdiction: '350000' },
  ],
  [
    'national-auditor',
    { userId: 'u-auditor', role: 'auditor', department: 'national-audit', jurisdiction: '000000' },
  ],
]);
// The test app sends a default purpose for the caller's role; an empty header stands for none.
const why = (purpose: string) => ({
  'x-access-purpose': purpose,
  'x-access-reason': encodeURIComponent('教师资格复核'),
});

describe('privacy of reads (embedded store)', () => {
  let ledger: RunningLedger;
  let teacher: string;
  const lookup = (identifier: string, as: string, headers: Record<string, string> = why('supervision')) =>
    ledger.request('POST', '/api/v1/subjects/lookup', { identifier }, headers, as);
  const accessLog = async (subjectId: string) =>
    (
      await ledger.request(
        'GET',
        `/api/v1/audit/access-log?subjectId=${subjectId}`,
        undefined,
        {},
        'national-auditor',
      )
    ).body.items;

  beforeAll(async () => {
    ledger = await startLedger('sqlite', {}, keys);
    teacher = await ledger.register('teacher', '林老师', TEACHER);
    await ledger.request(
      'GET',
      `/api/v1/subjects/${teacher}?minPosition=1`,
      undefined,
      why('audit'),
      'national-auditor',
    );
  });
  afterAll(() => ledger?.stop());

  describe('lookups by resident ID number', () => {
    it('answer a permitted official with the status, in a POST body', async () => {
      const found = await lookup(TEACHER, 'test-xiamen');
      expect(found.status).toBe(200);
      expect(found.body.subjectId).toBe(teacher);
      expect(JSON.stringify(found.body)).not.toContain(TEACHER);
    });

    it('answer the same status and body for an unknown number and for a person the caller may not read', async () => {
      const unknown = await lookup(UNKNOWN, 'test-xiamen');
      const elsewhere = await lookup(TEACHER, 'henan-official');
      expect(unknown.status).toBe(404);
      expect(elsewhere).toMatchObject({ status: unknown.status, body: unknown.body });
      expect(unknown.body).toEqual({ error: { code: 'SUBJECT.NOT_FOUND', message: expect.any(String) } });
    });

    it('ask for the purpose before anything is looked up, so its absence tells nothing', async () => {
      for (const [headers, as, code] of [
        [{ 'x-access-purpose': '' }, 'test-xiamen', 'ACCESS.PURPOSE_REQUIRED'],
        [why('x'), 'test-xiamen', 'ACCESS.UNKNOWN_PURPOSE'],
        [why('audit'), 'test-xiamen', 'ACCESS.PURPOSE_NOT_FOR_ROLE'],
        [why('supervision'), 'tax-fujian', 'ACCESS.PURPOSE_NOT_FOR_ROLE'],
        [{ 'x-access-purpose': 'supervision' }, 'test-xiamen', 'ACCESS.REASON_REQUIRED'],
      ] as const) {
        const known = await lookup(TEACHER, as, headers);
        const unknown = await lookup(UNKNOWN, as, headers);
        expect(known).toMatchObject({ status: 400, body: { error: { code } } });
        expect(unknown.body).toEqual(known.body);
      }
    });

    it('are each logged, found or not, with the purpose and the policy version', async () => {
      const reads = await accessLog(teacher);
      expect(reads).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            viewer: expect.objectContaining({ userId: 'u-xiamen' }),
            resource: 'lookup',
            purpose: 'supervision',
            reason: '教师资格复核',
            policyVersion: 'access-2026-12',
            outcome: 'answered',
          }),
          expect.objectContaining({
            viewer: expect.objectContaining({ userId: 'u-henan' }),
            resource: 'lookup',
            outcome: 'unknown-or-refused',
          }),
        ]),
      );
      const unknownReads = await accessLog(subjectIdFor(UNKNOWN, ledger.config.idSecret));
      expect(unknownReads).toEqual([
        expect.objectContaining({ resource: 'lookup', outcome: 'unknown-or-refused' }),
      ]);
    });

    it('never go in a query string: GET /subjects?code= takes a USCC only, the same 400 for any ID number', async () => {
      const known = await ledger.request(
        'GET',
        `/api/v1/subjects?code=${TEACHER}`,
        undefined,
        why('supervision'),
        'test-xiamen',
      );
      const unknown = await ledger.request(
        'GET',
        `/api/v1/subjects?code=${UNKNOWN}`,
        undefined,
        why('supervision'),
        'test-xiamen',
      );
      expect(known).toMatchObject({ status: 400, body: { error: { code: 'SUBJECT.LOOKUP_BY_POST' } } });
      expect(unknown.body).toEqual(known.body);
    });
  });

  describe("reading a natural person's record", () => {
    it('needs a purpose of the caller’s role beside the reason', async () => {
      const read = (headers: Record<string, string>, as = 'test-xiamen') =>
        ledger.request('GET', `/api/v1/subjects/${teacher}`, undefined, headers, as);
      expect((await read({ 'x-access-purpose': '', 'x-access-reason': 'x' })).body.error.code).toBe(
        'ACCESS.PURPOSE_REQUIRED',
      );
      expect((await read(why('x'))).body.error.code).toBe('ACCESS.UNKNOWN_PURPOSE');
      expect((await read(why('audit'))).body.error.code).toBe('ACCESS.PURPOSE_NOT_FOR_ROLE');
      expect((await read(why('employment-check'))).status).toBe(200);
    });

    it('is refused to a tax bureau, naming the permission it lacks', async () => {
      const refused = await ledger.request(
        'GET',
        `/api/v1/subjects/${teacher}`,
        undefined,
        why('supervision'),
        'tax-fujian',
      );
      expect(refused).toMatchObject({
        status: 403,
        body: { error: { code: 'ACCESS.PERMISSION_REQUIRED', permission: 'subjects.read.natural' } },
      });
    });

    it('by an auditor, full ID numbers included, is logged like any other', async () => {
      const raw = await ledger.request(
        'GET',
        `/api/v1/subjects/${teacher}/events`,
        undefined,
        why('audit'),
        'national-auditor',
      );
      expect(raw.body.masked).toBe(false);
      expect(JSON.stringify(raw.body)).toContain(TEACHER);
      expect(await accessLog(teacher)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            viewer: expect.objectContaining({ userId: 'u-auditor' }),
            resource: 'history',
            purpose: 'audit',
          }),
        ]),
      );
    });
  });

  describe('the global feed', () => {
    it('is for national auditors only: a provincial auditor gets 403 naming the permission', async () => {
      const refused = await ledger.request(
        'GET',
        '/api/v1/audit/events',
        undefined,
        why('audit'),
        'fujian-auditor',
      );
      expect(refused).toMatchObject({
        status: 403,
        body: { error: { code: 'ACCESS.OUTSIDE_JURISDICTION', permission: 'audit.feed.read' } },
      });
    });

    it('needs a purpose and a reason, and every page read is logged', async () => {
      const bare = await ledger.request(
        'GET',
        '/api/v1/audit/events',
        undefined,
        { 'x-access-purpose': '', 'x-access-reason': 'x' },
        'national-auditor',
      );
      expect(bare).toMatchObject({ status: 400, body: { error: { code: 'ACCESS.PURPOSE_REQUIRED' } } });
      const first = await ledger.request(
        'GET',
        '/api/v1/audit/events?limit=1000',
        undefined,
        why('audit'),
        'national-auditor',
      );
      expect(first.status).toBe(200);
      const next = await ledger.request(
        'GET',
        `/api/v1/audit/events?fromPosition=${first.body.nextPosition}`,
        undefined,
        why('audit'),
        'national-auditor',
      );
      expect(next.body.items).toEqual([
        expect.objectContaining({
          streamId: 'access-audit-feed',
          type: 'AuditFeedRead',
          data: expect.objectContaining({
            viewer: expect.objectContaining({ userId: 'u-auditor' }),
            purpose: 'audit',
            reason: '教师资格复核',
            fromPosition: 0,
            limit: 1000,
          }),
        }),
      ]);
    });
  });
  describe('X-Access-Reason in Chinese, as clients send it (raw bytes on a socket, not fetch)', () => {
    /** One GET written byte for byte: `reason` goes on the wire exactly as given. */
    const rawGet = (path: string, reason: Buffer): Promise<{ status: number; body: unknown }> =>
      new Promise((resolve, reject) => {
        const { port } = new URL(ledger.url);
        const socket = connect(Number(port), '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const [head, ...rest] = text.split('\r\n\r\n');
          const status = Number(head!.split(' ')[1]);
          const body = rest.join('\r\n\r\n');
          // A chunked body: take the JSON between the chunk sizes.
          const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
          resolve({ status, body: json ? JSON.parse(json) : undefined });
        });
        socket.write(
          Buffer.concat([
            Buffer.from(
              `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: national-auditor\r\n` +
                'x-access-purpose: audit\r\nConnection: close\r\nx-access-reason: ',
              'latin1',
            ),
            reason,
            Buffer.from('\r\n\r\n', 'latin1'),
          ]),
        );
      });
    const readTeacher = (reason: Buffer) => rawGet(`/api/v1/subjects/${teacher}`, reason);
    const loggedReasons = async () =>
      (await accessLog(teacher)).map((entry: { reason: string }) => entry.reason);

    it.each<[string, Buffer, string]>([
      ['raw UTF-8 bytes', Buffer.from('审计抽查：教师资格复核', 'utf8'), '审计抽查：教师资格复核'],
      [
        'percent-encoded UTF-8',
        Buffer.from(encodeURIComponent('年度考核复查'), 'latin1'),
        '年度考核复查',
      ],
      [
        "RFC 8187 UTF-8''",
        Buffer.from(`UTF-8''${encodeURIComponent('异议复核（第3号）')}`, 'latin1'),
        '异议复核（第3号）',
      ],
    ])('%s: the read is answered and the access log shows the Chinese reason', async (_form, bytes, text) => {
      const read = await readTeacher(bytes);
      expect(read.status).toBe(200);
      expect(await loggedReasons()).toContain(text);
    });

    it.each<[string, Buffer]>([
      ['bytes that are not UTF-8 (GBK)', Buffer.from([0xc9, 0xf3, 0xbc, 0xc6])],
      ['a truncated UTF-8 sequence', Buffer.from('审计', 'utf8').subarray(0, 4)],
      ['a bad percent escape', Buffer.from('%E5%AE', 'latin1')],
      ['percent-encoded bytes that are not UTF-8', Buffer.from('%C9%F3%BC%C6', 'latin1')],
      ['RFC 8187 with another charset', Buffer.from("GBK''%C9%F3%BC%C6", 'latin1')],
    ])('%s → 400 ACCESS.REASON_INVALID_ENCODING naming the header, nothing logged', async (_form, bytes) => {
      const before = (await accessLog(teacher)).length;
      const read = await readTeacher(bytes);
      expect(read.status).toBe(400);
      expect(read.body).toMatchObject({
        error: {
          code: 'ACCESS.REASON_INVALID_ENCODING',
          fields: [{ field: 'X-Access-Reason', reasons: [expect.any(String)] }],
        },
      });
      expect((await accessLog(teacher)).length).toBe(before);
    });
  });
});
