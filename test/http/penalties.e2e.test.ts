// Recording administrative penalties over HTTP: what they do to status, lists, the disclosure feed and the
// reporting ledger, and every way a request is refused without writing anything, on both backends.
import {
  addDays,
  addMonths,
  beijingDateOf,
  residentIdCheckCharacter,
  usccCheckCharacter,
} from '@ledger/domain';
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

/** A JSON body as the harness parses it. */
type Json = Awaited<ReturnType<RunningLedger['request']>>['body'];

/** Business dates are Beijing dates. */
const today = () => beijingDateOf(new Date().toISOString());

const SIMING_BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };

let serial = 0;
/** A fresh, valid USCC of a private non-enterprise unit (民办非企业单位) registered in `division`. */
const newUscc = (division = '350203') => {
  const first17 = `52${division}MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const residentId = (first17: string) => first17 + residentIdCheckCharacter(first17);

const penalty = (overrides: Record<string, unknown> = {}) => ({
  documentNumber: `思教罚决字〔2026〕第${++serial}号`,
  offenceType: '未取得办学许可证擅自开展学科类校外培训',
  facts:
    '经查，当事人于2026年3月至6月期间，在未取得办学许可证的情况下面向中小学生开展数学、英语学科类培训，涉及学员120余人，收取培训费用共计38.6万元。',
  legalBasis: '《中华人民共和国民办教育促进法》第六十四条；《校外培训行政处罚暂行办法》第十四条',
  categories: ['fine'],
  content: '责令停止违法行为，退还所收费用，并处罚款人民币5万元。',
  fineAmountTenThousandYuan: 5,
  decisionDate: addDays(today(), -1),
  authority: SIMING_BUREAU,
  severity: 'general',
  ...overrides,
});

describe.each<Backend>(['sqlite', 'postgres'])('penalties over HTTP (%s)', (backend) => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger(backend);
  });
  afterAll(() => ledger?.stop());

  const newInstitution = () =>
    ledger.register('training_institution', `厦门市思明区启航培训学校${++serial}`, newUscc());
  const recordPenalty = (
    subjectId: string,
    body: unknown,
    headers: Record<string, string> = {},
    as: string = KEYS.xiamen,
  ) => ledger.command(`subjects/${subjectId}/penalties`, body, headers, as);
  const statusOf = async (subjectId: string, position: number) => {
    const response = await ledger.request(
      'GET',
      `/api/v1/subjects/${subjectId}?minPosition=${position}`,
      undefined,
      {
        'x-access-reason': 'e2e check',
      },
    );
    expect(response.status).toBe(200);
    return response.body;
  };
  const listed = async (path: string, position: number): Promise<Array<Json>> => {
    const response = await ledger.request('GET', `/api/v1/${path}?pageSize=200&minPosition=${position}`);
    expect(response.status).toBe(200);
    return response.body.items;
  };
  const refused = (send: () => ReturnType<RunningLedger['request']>) => ledger.refuses(send);

  describe('a penalty on a training institution', () => {
    const body = penalty({
      legalRepresentative: { name: '陈建国', idType: '居民身份证', idNumber: '350203198506123021' },
    });
    let subjectId: string;
    let recordId: string;
    let position: number;
    beforeAll(async () => {
      subjectId = await newInstitution();
      const response = await recordPenalty(subjectId, body);
      expect(response.status).toBe(201);
      ({ recordId, position } = response.body);
      expect(response.body).toMatchObject({ subjectId, recordId: expect.any(String), replayed: false });
      expect(response.body.eventTypes).toEqual([
        'PenaltyRecorded',
        'ListMembershipChanged',
        'CreditGradeChanged',
      ]);
    });

    it('shows as an active penalty with grade C and enhanced supervision', async () => {
      const { status } = await statusOf(subjectId, position);
      expect(status.activePenalties).toEqual([recordId]);
      expect(status).toMatchObject({ grade: 'C', supervision: { level: 'enhanced' } });
      expect(status.lists.key_supervision).toEqual({
        onList: true,
        reasons: [{ code: 'active_penalty', recordId }],
      });
      expect(status.lists.black.onList).toBe(false);
    });

    it('puts the institution on the key supervision list (penalised institution)', async () => {
      const entries = await listed('lists/key-supervision', position);
      expect(entries.find((entry) => entry.subjectId === subjectId)).toMatchObject({
        list: 'key_supervision',
        reasons: [{ code: 'active_penalty', recordId }],
        subject: { kind: 'training_institution', jurisdiction: '350203' },
      });
      expect((await listed('lists/black', position)).map((entry) => entry.subjectId)).not.toContain(
        subjectId,
      );
    });

    it('publishes it in the disclosure feed with the legal representative’s ID number masked', async () => {
      const item = (await listed('disclosures/penalties', position)).find(
        (entry) => entry.recordId === recordId,
      );
      expect(item).toMatchObject({
        subjectId,
        severity: 'general',
        disputed: false,
        penalty: { fineAmountTenThousandYuan: 5, categories: ['fine'], dataSource: SIMING_BUREAU },
        publicity: { disclosure: 'public', startsOn: addDays(today(), -1) },
      });
      expect(item.penalty.legalRepresentative).toEqual({
        name: '陈建国',
        idType: '居民身份证',
        idNumber: '350203********3021',
      });
      expect(JSON.stringify(item)).not.toContain('19850612');
    });

    it('counts it as reported on time for the official’s department', async () => {
      const report = await ledger.request(
        'GET',
        `/api/v1/reports/reporting-timeliness?department=xiamen-education-bureau&month=${today().slice(0, 7)}&minPosition=${position}`,
      );
      expect(report.status).toBe(200);
      expect(report.body.items).toHaveLength(1);
      expect(report.body.items[0].onTime).toBeGreaterThanOrEqual(1);
      expect(report.body.items[0].lateRecordIds).not.toContain(recordId);
    });

    it('refuses the same decision document number again with 409, writing nothing', async () => {
      const { documentNumber } = body;
      const again = await refused(() => recordPenalty(subjectId, penalty({ documentNumber })));
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        code: 'PENALTY.DUPLICATE_DOCUMENT_NUMBER',
        details: { documentNumber, recordId },
      });
    });
  });

  it('a licence revocation is serious whatever was declared: black list, grade D, three years of publicity', async () => {
    const subjectId = await newInstitution();
    const decisionDate = addDays(today(), -2);
    const response = await recordPenalty(
      subjectId,
      penalty({
        categories: ['licence_revoked'],
        fineAmountTenThousandYuan: undefined,
        severity: 'general',
        decisionDate,
        licenceAffected: '民办学校办学许可证 教民135020370000123号',
      }),
    );
    expect(response.status).toBe(201);
    const { recordId, position } = response.body;
    const { status } = await statusOf(subjectId, position);
    expect(status).toMatchObject({
      grade: 'D',
      supervision: { level: 'key', randomInspectionSamplingPercent: 100 },
    });
    expect(status.lists.black).toEqual({ onList: true, reasons: [{ code: 'serious_penalty', recordId }] });
    expect(status.measures.map((measure: { code: string }) => measure.code)).toContain(
      'no_honours_or_commendation',
    );
    const entry = (await listed('lists/black', position)).find((e) => e.subjectId === subjectId);
    expect(entry).toMatchObject({
      reasons: [{ code: 'serious_penalty', recordId }],
      measures: expect.arrayContaining(['no_project_funding']),
    });
    const item = (await listed('disclosures/penalties', position)).find((e) => e.recordId === recordId);
    expect(item).toMatchObject({
      severity: 'serious',
      publicity: {
        minimumPeriodEndsOn: addMonths(decisionDate, 12),
        maximumPeriodEndsOn: addMonths(decisionDate, 36),
      },
    });
    // 双公示: a legal person is published with its USCC (CF_XDR_SHXYM), on the disclosure feed and the lists.
    const { identifier } = (await ledger.request('GET', `/api/v1/subjects/${subjectId}`)).body;
    expect(item.subjectIdentity).toEqual({ category: '法人及非法人组织', uscc: identifier });
    expect(entry!.subjectIdentity).toEqual({ category: '法人及非法人组织', uscc: identifier });
  });

  it('a teacher’s penalty is published without the teacher’s ID number', async () => {
    const id = residentId('35020319880304562');
    const subjectId = await ledger.register('teacher', '林晓燕', id);
    const response = await recordPenalty(
      subjectId,
      penalty({
        offenceType: '违反中小学教师职业行为十项准则：有偿补课',
        facts: '经查，该教师于2026年暑期组织所任教班级学生12人在校外有偿补课，收取费用1.44万元。',
        legalBasis: '《中小学教师违反职业道德行为处理办法》第四条',
        categories: ['notice_of_criticism'],
        fineAmountTenThousandYuan: undefined,
        content: '给予通报批评，责令退还所收费用。',
        misconduct: 'teacher_ethics_violation',
        severity: 'minor',
      }),
    );
    expect(response.status).toBe(201);
    const { recordId, position } = response.body;
    const item = (await listed('disclosures/penalties', position)).find((e) => e.recordId === recordId);
    expect(item).toMatchObject({ subject: { kind: 'teacher', name: '林晓燕' }, severity: 'minor' });
    expect(JSON.stringify(item)).not.toContain(id);
    expect(JSON.stringify(item)).not.toContain('19880304');
    // 双公示: an adult natural person is published with the masked ID number (CF_XDR_ZJLX / CF_XDR_ZJHM).
    expect(item.subjectIdentity).toEqual({
      category: '自然人',
      idType: '身份证',
      idNumber: `${id.slice(0, 6)}********${id.slice(14)}`,
    });
    // Key supervision is for schools and institutions, not people.
    expect((await listed('lists/key-supervision', position)).map((e) => e.subjectId)).not.toContain(
      subjectId,
    );
    expect((await statusOf(subjectId, position)).status.grade).toBe('C');
  });

  it('a student’s penalty counts, but never appears in the disclosure feed nor on any list', async () => {
    const subjectId = await ledger.register('student', '陈子墨', residentId('35020320100315401'));
    const response = await recordPenalty(
      subjectId,
      penalty({
        offenceType: '国家教育考试作弊',
        facts: '该考生在2026年学业水平考试中携带通讯工具进入考场并使用。',
        legalBasis: '《国家教育考试违规处理办法》第六条',
        categories: ['exam_result_voided'],
        fineAmountTenThousandYuan: undefined,
        content: '当次考试各科成绩无效。',
        misconduct: 'exam_cheating',
        severity: 'serious',
      }),
    );
    expect(response.status).toBe(201);
    const { recordId, position } = response.body;
    const { status } = await statusOf(subjectId, position);
    expect(status).toMatchObject({ isMinor: true, disclosure: 'restricted', grade: 'D' });
    expect(status.lists.black.onList).toBe(true);
    expect((await listed('disclosures/penalties', position)).map((e) => e.recordId)).not.toContain(recordId);
    for (const list of ['lists/black', 'lists/key-supervision', 'lists/red']) {
      expect((await listed(list, position)).map((e) => e.subjectId)).not.toContain(subjectId);
    }
  });

  it('a decision recorded more than 7 working days after it was taken is reported late, for the official’s department', async () => {
    const subjectId = await newInstitution();
    const response = await recordPenalty(subjectId, penalty({ decisionDate: '2026-09-01' }));
    expect(response.status).toBe(201);
    const { recordId, position } = response.body;
    const report = await ledger.request(
      'GET',
      `/api/v1/reports/reporting-timeliness?department=xiamen-education-bureau&month=${today().slice(0, 7)}&minPosition=${position}`,
    );
    expect(report.body.items).toEqual([
      expect.objectContaining({
        department: 'xiamen-education-bureau',
        late: expect.any(Number),
        lateRecordIds: expect.arrayContaining([recordId]),
      }),
    ]);
    const national = await ledger.request(
      'GET',
      `/api/v1/reports/reporting-timeliness?department=ministry-credit-office&minPosition=${position}`,
    );
    expect(
      national.body.items.flatMap((item: { lateRecordIds: string[] }) => item.lateRecordIds),
    ).not.toContain(recordId);
  });

  describe('refusals', () => {
    let subjectId: string;
    beforeAll(async () => {
      subjectId = await newInstitution();
    });

    it('a decision date in the future → 400 INPUT.DATE_IN_FUTURE', async () => {
      const response = await refused(() =>
        recordPenalty(subjectId, penalty({ decisionDate: addDays(today(), 3) })),
      );
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'INPUT.DATE_IN_FUTURE',
        details: { field: 'decisionDate' },
      });
    });

    it('a fine without its amount → 400 PENALTY.FINE_AMOUNT_REQUIRED; a confiscation likewise', async () => {
      const fine = await refused(() =>
        recordPenalty(subjectId, penalty({ fineAmountTenThousandYuan: undefined })),
      );
      expect(fine.status).toBe(400);
      expect(fine.body.error.code).toBe('PENALTY.FINE_AMOUNT_REQUIRED');
      const confiscation = await refused(() =>
        recordPenalty(subjectId, penalty({ categories: ['fine', 'confiscation'] })),
      );
      expect(confiscation.status).toBe(400);
      expect(confiscation.body.error.code).toBe('PENALTY.CONFISCATION_AMOUNT_REQUIRED');
    });

    const malformed: Array<[string, Record<string, unknown>, string]> = [
      ['an unknown severity', { severity: 'catastrophic' }, 'severity'],
      ['an unknown category', { categories: ['fine', 'public_shaming'] }, 'categories'],
      ['no category at all', { categories: [] }, 'categories'],
      ['an unknown misconduct', { misconduct: 'laziness' }, 'misconduct'],
      [
        'an authority USCC with a wrong check character',
        { authority: { ...SIMING_BUREAU, uscc: '113502030041255232' } },
        'authority.uscc',
      ],
      ['an authority without a name', { authority: { uscc: SIMING_BUREAU.uscc } }, 'authority.name'],
      ['no authority', { authority: undefined }, 'authority'],
      ['missing facts', { facts: undefined }, 'facts'],
      ['blank offence type', { offenceType: '   ' }, 'offenceType'],
      ['facts longer than 2000 characters', { facts: '违'.repeat(2001) }, 'facts'],
      ['a negative fine', { fineAmountTenThousandYuan: -5 }, 'fineAmountTenThousandYuan'],
      ['a fine as text', { fineAmountTenThousandYuan: '5万元' }, 'fineAmountTenThousandYuan'],
      ['a date that does not exist', { decisionDate: '2026-02-30' }, 'decisionDate'],
      ['a date in another format', { decisionDate: '2026/11/02' }, 'decisionDate'],
      ['null for an optional field', { remarks: null }, 'remarks'],
      [
        'a legal representative without an ID number',
        { legalRepresentative: { name: '陈建国', idType: '居民身份证' } },
        'legalRepresentative.idNumber',
      ],
      ['an unexpected field', { recordId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' }, 'recordId'],
    ];
    it.each(malformed)('%s → 400 naming the field, nothing written', async (_name, overrides, field) => {
      const response = await refused(() => recordPenalty(subjectId, penalty(overrides)));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INPUT.VALIDATION_FAILED');
      expect(response.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('names the allowed values of an unknown enum', async () => {
      const response = await recordPenalty(subjectId, penalty({ severity: 'catastrophic' }));
      expect(response.body.error.fields).toEqual([
        { field: 'severity', reasons: ['severity must be one of: minor, general, serious'] },
      ]);
    });

    it('a subject id that is not a UUID → 400 naming subjectId', async () => {
      const response = await refused(() => recordPenalty('not-a-uuid', penalty()));
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual([
        { field: 'subjectId', reasons: ['subjectId must be a UUID'] },
      ]);
    });

    it('an unknown subject → 404 SUBJECT.NOT_REGISTERED', async () => {
      const response = await refused(() => recordPenalty('019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d', penalty()));
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('SUBJECT.NOT_REGISTERED');
    });

    it('an official of another jurisdiction → 403 ACTOR.OUTSIDE_JURISDICTION; no key → 401', async () => {
      const haidian = await refused(() => recordPenalty(subjectId, penalty(), {}, KEYS.haidian));
      expect(haidian.status).toBe(403);
      expect(haidian.body.error).toMatchObject({
        code: 'ACTOR.OUTSIDE_JURISDICTION',
        details: { actorJurisdiction: '110108', subjectJurisdiction: '350203' },
      });
      const anonymous = await refused(() => recordPenalty(subjectId, penalty(), {}, ''));
      expect(anonymous.status).toBe(401);
    });
  });

  describe('concurrency and retries', () => {
    it('If-Match with a stale revision → 409 STORE.WRONG_EXPECTED_REVISION; with the current ETag → 201', async () => {
      const subjectId = await newInstitution();
      const first = await recordPenalty(subjectId, penalty());
      const seen = await ledger.request(
        'GET',
        `/api/v1/subjects/${subjectId}?minPosition=${first.body.position}`,
      );
      const etag = seen.headers.get('etag')!;
      expect(etag).toBe(`"${first.body.streamRevision}"`);
      const stale = await refused(() => recordPenalty(subjectId, penalty(), { 'if-match': '"0"' }));
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({
        code: 'STORE.WRONG_EXPECTED_REVISION',
        details: { expected: 0, actual: first.body.streamRevision },
      });
      const current = await recordPenalty(subjectId, penalty(), { 'if-match': etag });
      expect(current.status).toBe(201);
      expect(current.body.streamRevision).toBeGreaterThan(first.body.streamRevision);
    });

    it('a retry with the same Idempotency-Key names the same record and writes nothing new', async () => {
      const subjectId = await newInstitution();
      const body = penalty();
      const headers = { 'idempotency-key': `penalty-retry-${serial}` };
      const first = await recordPenalty(subjectId, body, headers);
      expect(first.status).toBe(201);
      const retry = await refused(() => recordPenalty(subjectId, body, headers));
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ ...first.body, replayed: true });
      const { status } = await statusOf(subjectId, first.body.position);
      expect(status.activePenalties).toEqual([first.body.recordId]);
      const misuse = await refused(() =>
        recordPenalty(subjectId, { ...body, facts: '另一份决定的事实' }, headers),
      );
      expect(misuse.status).toBe(422);
      expect(misuse.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    });

    it('without an Idempotency-Key every request names a new record', async () => {
      const subjectId = await newInstitution();
      const a = await recordPenalty(subjectId, penalty());
      const b = await recordPenalty(subjectId, penalty());
      expect(a.body.recordId).not.toBe(b.body.recordId);
    });
  });
});
