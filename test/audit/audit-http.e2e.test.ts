// The auditors' endpoints over HTTP on both backends: history, status and lists as of an instant on
// both clocks, the access log of natural persons' records, the global feed, digests, proofs, verify.
import { verifyInclusionProof } from '@ledger/audit';
import { addDays, beijingDateOf } from '@ledger/domain';
import { KEYS } from '../support/ledger-app';
import { AUDIT_KEYS, startAuditLedger, type AuditLedger, type Backend } from './support/audit-ledger';

const pause = (ms = 25) => new Promise((resolve) => setTimeout(resolve, ms));
const today = () => beijingDateOf(new Date().toISOString());
const bureau = { name: '厦门市思明区教育局', uscc: '113502030041255231' };
const reason = { 'x-access-reason': encodeURIComponent('年度师德考核复核') };

describe.each<Backend>(['sqlite', 'postgres'])('audit over HTTP (%s)', (backend) => {
  let ledger: AuditLedger;
  let school: string;
  let teacher: string;
  const at: Record<'beforePenalty' | 'penalised' | 'revoked', string> = {
    beforePenalty: '',
    penalised: '',
    revoked: '',
  };

  beforeAll(async () => {
    ledger = await startAuditLedger(backend, {
      digestEveryEvents: 3,
      digestEverySeconds: 0.2,
      digestChunkSize: 4,
    });
    const register = async (body: object) => {
      const response = await ledger.request('POST', '/api/v1/subjects', { body });
      expect(response.status).toBe(201);
      return response.body.subjectId as string;
    };
    school = await register({
      kind: 'private_school',
      name: '厦门阳光实验学校',
      identifier: '91350200776049653A',
      jurisdiction: '350203',
    });
    teacher = await register({
      kind: 'teacher',
      name: '王老师',
      identifier: '350203198506151233',
      jurisdiction: '350203',
    });
    await pause();
    at.beforePenalty = new Date().toISOString();
    await pause();
    const penalty = await ledger.request('POST', `/api/v1/subjects/${school}/penalties`, {
      body: {
        documentNumber: '思教罚决字〔2026〕第1号',
        offenceType: '未取得办学许可证擅自开展学科类校外培训',
        facts: '面向中小学生开展学科类培训',
        legalBasis: '《中华人民共和国民办教育促进法》第六十四条',
        categories: ['fine'],
        content: '罚款人民币5万元',
        fineAmountTenThousandYuan: 5,
        decisionDate: addDays(today(), -1),
        authority: bureau,
        severity: 'general',
      },
    });
    expect(penalty.status).toBe(201);
    await pause();
    at.penalised = new Date().toISOString();
    await pause();
    const revoked = await ledger.request(
      'POST',
      `/api/v1/subjects/${school}/records/${penalty.body.recordId}/revocation`,
      {
        body: { reason: 'Annulled on administrative review' },
      },
    );
    expect(revoked.status).toBe(201);
    await pause();
    at.revoked = new Date().toISOString();
  });
  afterAll(() => ledger?.stop());

  describe("a subject's history", () => {
    it('lists its events oldest first, a page at a time, filtered by type and record time', async () => {
      const all = await ledger.request('GET', `/api/v1/subjects/${school}/events`);
      expect(all.status).toBe(200);
      const types = all.body.items.map((e: { type: string }) => e.type);
      expect(types[0]).toBe('SubjectRegistered');
      expect(types).toEqual(
        expect.arrayContaining(['PenaltyRecorded', 'RecordRevoked', 'ListMembershipChanged']),
      );
      expect(all.body.items.map((e: { revision: number }) => e.revision)).toEqual(
        types.map((_: string, i: number) => i),
      );
      const paged = await ledger.request('GET', `/api/v1/subjects/${school}/events?page=2&pageSize=2`);
      expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: all.body.total });
      expect(paged.body.items).toEqual(all.body.items.slice(2, 4));
      const penalties = await ledger.request(
        'GET',
        `/api/v1/subjects/${school}/events?type=PenaltyRecorded,RecordRevoked`,
      );
      expect(penalties.body.items.map((e: { type: string }) => e.type)).toEqual([
        'PenaltyRecorded',
        'RecordRevoked',
      ]);
      const early = await ledger.request(
        'GET',
        `/api/v1/subjects/${school}/events?to=${encodeURIComponent(at.beforePenalty)}`,
      );
      expect(early.body.items.every((e: { recordedAt: string }) => e.recordedAt <= at.beforePenalty)).toBe(
        true,
      );
      const late = await ledger.request(
        'GET',
        `/api/v1/subjects/${school}/events?from=${encodeURIComponent(at.penalised)}`,
      );
      expect(late.body.items.map((e: { type: string }) => e.type)).toContain('RecordRevoked');
      expect(late.body.items.map((e: { type: string }) => e.type)).not.toContain('PenaltyRecorded');
    });

    it('refuses bad filters and unknown subjects', async () => {
      expect((await ledger.request('GET', `/api/v1/subjects/${school}/events?to=yesterday`)).status).toBe(
        400,
      );
      expect((await ledger.request('GET', `/api/v1/subjects/${school}/events?pageSize=501`)).status).toBe(
        400,
      );
      expect((await ledger.request('GET', '/api/v1/subjects/not-a-uuid/events')).status).toBe(400);
      const missing = await ledger.request(
        'GET',
        '/api/v1/subjects/01960000-0000-7000-8000-000000000000/events',
      );
      expect(missing).toMatchObject({ status: 404, body: { error: { code: 'SUBJECT.NOT_FOUND' } } });
    });
  });

  describe('status as of an instant', () => {
    const asOf = (instant: string, extra = '') =>
      ledger.request(
        'GET',
        `/api/v1/subjects/${school}/status-as-of?asOf=${encodeURIComponent(instant)}${extra}`,
      );

    it('on record time: what the ledger said then', async () => {
      const before = await asOf(at.beforePenalty);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        by: 'record',
        kind: 'private_school',
        status: { activePenalties: [], lists: { key_supervision: { onList: false } } },
      });
      const penalised = await asOf(at.penalised);
      expect(penalised.body.status.activePenalties).toHaveLength(1);
      expect(penalised.body.status.lists.key_supervision.onList).toBe(true);
      expect(penalised.body.status.asOf).toBe(beijingDateOf(at.penalised));
      const revoked = await asOf(at.revoked);
      expect(revoked.body.status.activePenalties).toEqual([]);
      expect(revoked.body.revision).toBeGreaterThan(penalised.body.revision);
      expect(revoked.body.lastRecordedAt <= at.revoked).toBe(true);
    });

    it('on business time, as known now or as known at another instant', async () => {
      const now = await asOf(at.revoked, '&by=business');
      expect(now.body).toMatchObject({ by: 'business', status: { activePenalties: [] } });
      const knownThen = await asOf(at.revoked, `&by=business&knownAt=${encodeURIComponent(at.penalised)}`);
      expect(knownThen.body).toMatchObject({ by: 'business', knownAt: at.penalised });
      expect(knownThen.body.status.activePenalties).toHaveLength(1);
    });

    it('is 404 before registration and 400 for a malformed instant', async () => {
      expect((await asOf('2020-01-01T00:00:00+08:00')).body.error.code).toBe('SUBJECT.NOT_FOUND_AS_OF');
      for (const bad of ['2026-13-01T00:00:00Z', '2026-03-01', 'now'])
        expect((await asOf(bad)).status).toBe(400);
      expect((await asOf(at.revoked, '&by=sideways')).status).toBe(400);
    });
  });

  it('gives a list as it was at an instant', async () => {
    const list = (instant: string) =>
      ledger.request('GET', `/api/v1/lists/key-supervision/as-of?asOf=${encodeURIComponent(instant)}`);
    expect((await list(at.beforePenalty)).body).toMatchObject({
      list: 'key_supervision',
      total: 0,
      items: [],
    });
    const penalised = await list(at.penalised);
    expect(penalised.body.items).toEqual([
      expect.objectContaining({ subjectId: school, list: 'key_supervision', enteredOn: today() }),
    ]);
    expect((await list(at.revoked)).body.total).toBe(0);
    expect(
      (await ledger.request('GET', `/api/v1/lists/purple/as-of?asOf=${encodeURIComponent(at.revoked)}`))
        .status,
    ).toBe(400);
    const filtered = await ledger.request(
      'GET',
      `/api/v1/lists/key-supervision/as-of?asOf=${encodeURIComponent(at.penalised)}&jurisdiction=110000`,
    );
    expect(filtered.body.total).toBe(0);
  });

  describe("natural persons' records", () => {
    it('need a reason, and each read is logged with who, when, why and what', async () => {
      const refused = await ledger.request('GET', `/api/v1/subjects/${teacher}/events`, {
        as: AUDIT_KEYS.xiamen,
      });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'ACCESS.REASON_REQUIRED' } } });
      const read = await ledger.request('GET', `/api/v1/subjects/${teacher}/events`, {
        as: AUDIT_KEYS.xiamen,
        headers: reason,
      });
      expect(read.status).toBe(200);
      expect(read.body.masked).toBe(true);
      expect(read.body.items[0].data.identifier.value).toBe('350203********1233');
      const asOf = await ledger.request(
        'GET',
        `/api/v1/subjects/${teacher}/status-as-of?asOf=${encodeURIComponent(new Date().toISOString())}`,
        {
          as: KEYS.xiamenReviewer,
          headers: reason,
        },
      );
      expect(asOf.status).toBe(200);
      expect(asOf.body.identifier).toBe('350203********1233');
      // An official of another province reads nothing of a Xiamen teacher, and nothing is logged for it.
      const elsewhere = await ledger.request(
        'GET',
        `/api/v1/subjects/${teacher}/status-as-of?asOf=${encodeURIComponent(new Date().toISOString())}`,
        { as: AUDIT_KEYS.haidian, headers: reason },
      );
      expect(elsewhere).toMatchObject({
        status: 403,
        body: { error: { code: 'ACCESS.OUTSIDE_JURISDICTION', permission: 'history.read' } },
      });

      const log = await ledger.request('GET', `/api/v1/audit/access-log?subjectId=${teacher}`, {
        as: AUDIT_KEYS.auditor,
      });
      expect(log.status).toBe(200);
      expect(log.body.items).toEqual([
        expect.objectContaining({
          viewer: expect.objectContaining({ userId: 'u-xiamen' }),
          reason: '年度师德考核复核',
          resource: 'history',
        }),
        expect.objectContaining({
          viewer: expect.objectContaining({ userId: 'u-xiamen-reviewer' }),
          reason: '年度师德考核复核',
          purpose: 'supervision',
          resource: 'status-as-of',
        }),
      ]);
      // A legal person's record is neither gated nor logged.
      expect(
        (await ledger.request('GET', `/api/v1/subjects/${school}/events`, { as: AUDIT_KEYS.xiamen })).status,
      ).toBe(200);
      expect(
        (
          await ledger.request('GET', `/api/v1/audit/access-log?subjectId=${school}`, {
            as: AUDIT_KEYS.auditor,
          })
        ).body.items,
      ).toEqual([]);
    });

    it('are served raw to auditors, whose hashes recompute', async () => {
      const raw = await ledger.request('GET', `/api/v1/subjects/${teacher}/events`, {
        as: AUDIT_KEYS.auditor,
        headers: reason,
      });
      expect(raw.body.masked).toBe(false);
      expect(raw.body.items[0].data.identifier.value).toBe('350203198506151233');
    });
  });

  describe('audit endpoints', () => {
    it('are for auditors only', async () => {
      for (const path of [
        '/api/v1/audit/events',
        '/api/v1/audit/digests',
        '/api/v1/audit/verify',
        `/api/v1/audit/access-log?subjectId=${teacher}`,
      ]) {
        const response = await ledger.request('GET', path, { as: AUDIT_KEYS.xiamen });
        expect(response).toMatchObject({
          status: 403,
          body: { error: { code: 'ACCESS.PERMISSION_REQUIRED' } },
        });
      }
      expect((await ledger.request('GET', '/api/v1/audit/events', { as: '' })).status).toBe(401);
    });

    it('page through the global feed by position', async () => {
      const first = await ledger.request('GET', '/api/v1/audit/events?limit=3', {
        as: AUDIT_KEYS.auditor,
        headers: reason,
      });
      expect(first.body.items).toHaveLength(3);
      // Followers (the case initiator) may still append while we page: page on until a page reaches the
      // head it answered with.
      const pages = [first];
      for (let page = first; page.body.nextPosition < page.body.headPosition && pages.length < 10;) {
        page = await ledger.request(
          'GET',
          `/api/v1/audit/events?fromPosition=${page.body.nextPosition}&limit=1000`,
          { as: AUDIT_KEYS.auditor, headers: reason },
        );
        pages.push(page);
      }
      const next = pages[pages.length - 1]!;
      const positions = pages.flatMap((page) => page.body.items.map((e: { position: number }) => e.position));
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(next.body.headPosition).toBe(positions[positions.length - 1]);
      const types = pages.flatMap((page) => page.body.items.map((e: { type: string }) => e.type));
      expect(types).toContain('PersonalRecordViewed');
    });

    it('serve digests and proofs that the independent verifier accepts, and verify the ledger', async () => {
      const deadline = Date.now() + 10_000;
      let digests: Array<{ upToPosition: number; eventCount: number; root: string }> = [];
      while (Date.now() < deadline) {
        digests = (await ledger.request('GET', '/api/v1/audit/digests', { as: AUDIT_KEYS.auditor })).body;
        const head = (
          await ledger.request('GET', '/api/v1/audit/events?fromPosition=0&limit=1', {
            as: AUDIT_KEYS.auditor,
            headers: reason,
          })
        ).body.headPosition;
        // Each read of the feed is itself logged (an AuditFeedRead event), so the digests reach the head read
        // and then pass it.
        if (digests.length > 0 && digests[digests.length - 1]!.upToPosition >= head) break;
        await pause(100);
      }
      expect(digests.length).toBeGreaterThan(1);
      const latest = digests[digests.length - 1]!;
      const feed = (
        await ledger.request('GET', '/api/v1/audit/events?limit=1000', {
          as: AUDIT_KEYS.auditor,
          headers: reason,
        })
      ).body.items;
      const penalty = feed.find((e: { type: string }) => e.type === 'PenaltyRecorded');
      const proved = await ledger.request('GET', `/api/v1/audit/proof/${penalty.id}`, {
        as: AUDIT_KEYS.auditor,
      });
      expect(proved.status).toBe(200);
      expect(
        verifyInclusionProof(proved.body.proof, { event: proved.body.event, trustedDigest: latest }),
      ).toEqual({ valid: true });
      const older = await ledger.request(
        'GET',
        `/api/v1/audit/proof/${feed[0].id}?digest=${digests[0]!.upToPosition}`,
        { as: AUDIT_KEYS.auditor },
      );
      expect(
        verifyInclusionProof(older.body.proof, { event: older.body.event, trustedDigest: digests[0] }),
      ).toEqual({ valid: true });

      // A proof of a natural person's event is a read of their record.
      const teacherEvent = feed.find((e: { streamId: string }) => e.streamId === `subject-${teacher}`);
      expect(
        (await ledger.request('GET', `/api/v1/audit/proof/${teacherEvent.id}`, { as: AUDIT_KEYS.auditor }))
          .body.error.code,
      ).toBe('ACCESS.REASON_REQUIRED');
      expect(
        (
          await ledger.request('GET', `/api/v1/audit/proof/${teacherEvent.id}`, {
            as: AUDIT_KEYS.auditor,
            headers: reason,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await ledger.request('GET', '/api/v1/audit/proof/01960000-0000-7000-8000-000000000000', {
            as: AUDIT_KEYS.auditor,
          })
        ).body.error.code,
      ).toBe('AUDIT.EVENT_NOT_FOUND');

      const verified = await ledger.request('GET', '/api/v1/audit/verify', { as: AUDIT_KEYS.auditor });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        ok: true,
        failures: [],
        digestsChecked: expect.any(Number),
        streams: expect.any(Number),
      });
      expect(verified.body.digestsChecked).toBeGreaterThanOrEqual(digests.length);
      expect(verified.body.events).toBeGreaterThanOrEqual(latest.eventCount);
    });

    it('are in the OpenAPI document, saying which time is which', async () => {
      const docs = await ledger.request('GET', '/docs/openapi.json');
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/subjects/{subjectId}/events',
          '/api/v1/subjects/{subjectId}/status-as-of',
          '/api/v1/lists/{list}/as-of',
          '/api/v1/audit/events',
          '/api/v1/audit/verify',
          '/api/v1/audit/digests',
          '/api/v1/audit/proof/{eventId}',
          '/api/v1/audit/access-log',
        ]),
      );
      const asOfParam = docs.body.paths['/api/v1/subjects/{subjectId}/status-as-of'].get.parameters.find(
        (p: { name: string }) => p.name === 'by',
      );
      expect(asOfParam.description).toMatch(/record time.*recordedAt.*business time.*occurredAt/s);
    });
  });
});
