// Honours, credit commitments and rectification notices over HTTP: red and black lists, key supervision,
// and the refusals of each, on both backends.
import { addDays, addMonths, beijingDateOf, usccCheckCharacter } from '@ledger/domain';
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

/** Business dates are Beijing dates. */
const today = () => beijingDateOf(new Date().toISOString());

const XIAMEN_BUREAU = { name: '厦门市教育局', uscc: '11350200004128876T' };
const SIMING_BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };

let serial = 0;
/** A fresh, valid USCC; `52` private non-enterprise unit (民办非企业单位), `12` public institution (事业单位). */
const newUscc = (prefix: '52' | '12', division = '350203') => {
  const first17 = `${prefix}${division}MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

const honour = (overrides: Record<string, unknown> = {}) => ({
  title: '2026年度厦门市中小学德育工作先进集体',
  category: 'advanced_collective',
  awardingBody: XIAMEN_BUREAU,
  awardedOn: addDays(today(), -30),
  documentNumber: `厦教德〔2026〕${++serial}号`,
  description: '在立德树人、家校共育和课后服务工作中成绩突出。',
  ...overrides,
});

/** A commitment made `daysAgo` days ago and binding for another month; its code carries the date it was made. */
const commitment = (overrides: Record<string, unknown> = {}, daysAgo = 40) => {
  const madeOn = addDays(today(), -daysAgo);
  return {
    code: `350203${madeOn.replaceAll('-', '')}${String(++serial).padStart(6, '0')}`,
    type: 'in_place_of_certificate',
    reason: '申请民办培训机构年度检查，以承诺代替消防安全检查合格证明',
    content: '本机构承诺所提交材料真实有效，培训场所符合消防安全要求，并于30日内补交消防安全检查合格证明。',
    liabilityOnBreach: '如违反承诺，自愿接受撤销年检结论、记入失信信息并依法承担相应法律责任。',
    madeOn,
    validUntil: addDays(today(), 30),
    acceptingUnit: SIMING_BUREAU,
    disclosure: 'public',
    ...overrides,
  };
};

const notice = (overrides: Record<string, unknown> = {}) => ({
  noticeNumber: `思教整改〔2026〕${++serial}号`,
  finding: '违反校外培训负面清单：超前超标培训，一次性预收费超过3个月',
  requirements:
    '立即停止超前超标培训，将预收费调整为不超过3个月或60课时并纳入资金监管账户，于期限内提交整改报告。',
  issuedOn: addDays(today(), -20),
  deadline: addDays(today(), 10),
  issuingAuthority: SIMING_BUREAU,
  ...overrides,
});

describe.each<Backend>(['sqlite', 'postgres'])(
  'honours, commitments and rectifications over HTTP (%s)',
  (backend) => {
    let ledger: RunningLedger;
    beforeAll(async () => {
      ledger = await startLedger(backend);
    });
    afterAll(() => ledger?.stop());

    const newSchool = () => ledger.register('school', `厦门市思明区第${++serial}实验小学`, newUscc('12'));
    const newInstitution = () =>
      ledger.register('training_institution', `厦门市思明区启航培训学校${++serial}`, newUscc('52'));
    const post = (path: string, body: unknown, as: string = KEYS.xiamen) =>
      ledger.command(`subjects/${path}`, body, {}, as);
    const statusOf = async (subjectId: string, position: number) => {
      const response = await ledger.request('GET', `/api/v1/subjects/${subjectId}?minPosition=${position}`);
      expect(response.status).toBe(200);
      return response.body.status;
    };
    const listedIds = async (list: string, position: number): Promise<string[]> => {
      const response = await ledger.request(
        'GET',
        `/api/v1/lists/${list}?pageSize=200&minPosition=${position}`,
      );
      expect(response.status).toBe(200);
      return response.body.items.map((entry: { subjectId: string }) => entry.subjectId);
    };
    const refused = (send: () => ReturnType<RunningLedger['request']>) => ledger.refuses(send);

    describe('honours', () => {
      it('an honour puts a school on the red list with grade A; a later penalty takes it off', async () => {
        const subjectId = await newSchool();
        const awarded = await post(`${subjectId}/honours`, honour());
        expect(awarded.status).toBe(201);
        expect(awarded.body.eventTypes).toEqual([
          'HonourRecorded',
          'ListMembershipChanged',
          'CreditGradeChanged',
        ]);
        const { recordId, position } = awarded.body;
        const status = await statusOf(subjectId, position);
        expect(status).toMatchObject({
          grade: 'A',
          supervision: { level: 'reduced' },
          activeHonours: [recordId],
        });
        expect(status.lists.red).toEqual({ onList: true, reasons: [{ code: 'active_honour', recordId }] });
        expect(await listedIds('red', position)).toContain(subjectId);

        const penalised = await post(`${subjectId}/penalties`, {
          documentNumber: `思教罚决字〔2026〕第${++serial}号`,
          offenceType: '违规收取择校费',
          facts: '经查，该校2026年秋季招生中以捐资助学名义向12名新生家长收取费用共计6万元。',
          legalBasis: '《中华人民共和国义务教育法》第五十六条',
          categories: ['notice_of_criticism'],
          content: '责令退还所收费用，给予通报批评。',
          decisionDate: addDays(today(), -1),
          authority: SIMING_BUREAU,
          severity: 'minor',
        });
        expect(penalised.status).toBe(201);
        expect((await statusOf(subjectId, penalised.body.position)).lists.red.onList).toBe(false);
        expect(await listedIds('red', penalised.body.position)).not.toContain(subjectId);
      });

      it('an awarding body may be named without a USCC', async () => {
        const subjectId = await newSchool();
        const response = await post(
          `${subjectId}/honours`,
          honour({
            awardingBody: { name: '全国教育系统先进集体评选表彰工作领导小组' },
            category: 'commendation',
          }),
        );
        expect(response.status).toBe(201);
      });

      it('a subject on the black list cannot receive an honour → 422 HONOUR.BARRED_BY_DISCIPLINE', async () => {
        const subjectId = await newInstitution();
        const signed = await post(`${subjectId}/commitments`, commitment());
        const broken = await post(`${subjectId}/commitments/${signed.body.recordId}/outcome`, {
          outcome: 'not_kept',
          unkeptContent: '逾期未补交消防安全检查合格证明。',
          liabilityPursued: '撤销年检合格结论，记入失信信息。',
        });
        expect(broken.status).toBe(201);
        const response = await refused(() => post(`${subjectId}/honours`, honour()));
        expect(response.status).toBe(422);
        expect(response.body.error).toMatchObject({
          code: 'HONOUR.BARRED_BY_DISCIPLINE',
          details: { lists: ['black'] },
        });
      });

      it.each<[string, Record<string, unknown>, number, string]>([
        ['an award date in the future', { awardedOn: addDays(today(), 5) }, 400, 'INPUT.DATE_IN_FUTURE'],
        ['an unknown category', { category: 'gold_medal' }, 400, 'INPUT.VALIDATION_FAILED'],
        [
          'an awarding body USCC with a wrong check character',
          { awardingBody: { ...XIAMEN_BUREAU, uscc: '11350200004128876A' } },
          400,
          'INPUT.VALIDATION_FAILED',
        ],
        ['no title', { title: undefined }, 400, 'INPUT.VALIDATION_FAILED'],
      ])('%s → %i %s, nothing written', async (_name, overrides, status, code) => {
        const subjectId = await newSchool();
        const response = await refused(() => post(`${subjectId}/honours`, honour(overrides)));
        expect(response.status).toBe(status);
        expect(response.body.error.code).toBe(code);
      });
    });

    describe('commitments', () => {
      let subjectId: string;
      let recordId: string;
      beforeAll(async () => {
        subjectId = await newInstitution();
      });

      it('a signed commitment is in force', async () => {
        const signed = await post(`${subjectId}/commitments`, commitment());
        expect(signed.status).toBe(201);
        expect(signed.body.eventTypes).toEqual(['CommitmentSigned']);
        recordId = signed.body.recordId;
        expect((await statusOf(subjectId, signed.body.position)).commitmentsInForce).toEqual([recordId]);
      });

      it('a breach must say what was not kept and what liability was pursued → 400 COMMITMENT.BREACH_DETAILS_REQUIRED', async () => {
        const response = await refused(() =>
          post(`${subjectId}/commitments/${recordId}/outcome`, { outcome: 'not_kept' }),
        );
        expect(response.status).toBe(400);
        expect(response.body.error).toMatchObject({
          code: 'COMMITMENT.BREACH_DETAILS_REQUIRED',
          details: { field: 'unkeptContent' },
        });
      });

      it('a commitment not kept puts the institution on the black list with grade D', async () => {
        const outcome = await post(`${subjectId}/commitments/${recordId}/outcome`, {
          outcome: 'not_kept',
          unkeptContent: '逾期未补交消防安全检查合格证明，经现场核查培训场所消防通道堵塞。',
          liabilityPursued: '撤销年检合格结论，责令限期整改，记入失信信息。',
        });
        expect(outcome.status).toBe(201);
        expect(outcome.body).toMatchObject({ subjectId, recordId });
        expect(outcome.body.eventTypes).toEqual(
          expect.arrayContaining([
            'CommitmentOutcomeRecorded',
            'ListMembershipChanged',
            'CreditGradeChanged',
          ]),
        );
        const status = await statusOf(subjectId, outcome.body.position);
        expect(status).toMatchObject({ grade: 'D', breachedCommitments: [recordId], commitmentsInForce: [] });
        expect(status.lists.black).toEqual({
          onList: true,
          reasons: [{ code: 'commitment_not_kept', recordId }],
        });
        expect(await listedIds('black', outcome.body.position)).toContain(subjectId);
      });

      it('an outcome is recorded once → 409 COMMITMENT.OUTCOME_ALREADY_RECORDED', async () => {
        const again = await refused(() =>
          post(`${subjectId}/commitments/${recordId}/outcome`, { outcome: 'kept' }),
        );
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('COMMITMENT.OUTCOME_ALREADY_RECORDED');
      });

      it('a kept commitment changes no list', async () => {
        const other = await newInstitution();
        const signed = await post(`${other}/commitments`, commitment());
        const kept = await post(`${other}/commitments/${signed.body.recordId}/outcome`, { outcome: 'kept' });
        expect(kept.status).toBe(201);
        expect(kept.body.eventTypes).toEqual(['CommitmentOutcomeRecorded']);
        expect((await statusOf(other, kept.body.position)).grade).toBe('B');
      });

      it.each<[string, Record<string, unknown>, number, string]>([
        ['a malformed commitment code', { code: '35020320261009ABC123' }, 400, 'COMMITMENT.INVALID_CODE'],
        [
          'a validity ending before the date made',
          { validUntil: '2025-01-01' },
          400,
          'COMMITMENT.VALIDITY_BEFORE_DATE_MADE',
        ],
        [
          'a repair commitment naming no penalty',
          { type: 'credit_repair' },
          400,
          'COMMITMENT.RELATED_PENALTY_REQUIRED',
        ],
        [
          'a repair commitment naming an unknown penalty',
          { type: 'credit_repair', relatedPenaltyId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' },
          404,
          'RECORD.NOT_FOUND',
        ],
        ['an unknown type', { type: 'pinky_promise' }, 400, 'INPUT.VALIDATION_FAILED'],
        ['an unknown disclosure', { disclosure: 'secret' }, 400, 'INPUT.VALIDATION_FAILED'],
        [
          'an accepting unit without USCC',
          { acceptingUnit: { name: SIMING_BUREAU.name } },
          400,
          'INPUT.VALIDATION_FAILED',
        ],
      ])('%s → %i %s, nothing written', async (_name, overrides, status, code) => {
        const response = await refused(() => post(`${subjectId}/commitments`, commitment(overrides)));
        expect(response.status).toBe(status);
        expect(response.body.error.code).toBe(code);
      });

      it.each<[string, (body: ReturnType<typeof commitment>) => Record<string, unknown>, string, string]>([
        [
          'a code whose date is not the date made',
          (body) => ({ code: `350203${addDays(body.madeOn, 1).replaceAll('-', '')}000901` }),
          'COMMITMENT.CODE_DATE_MISMATCH',
          'code',
        ],
        [
          'a code of another county than the subject’s',
          (body) => ({ code: `350206${body.madeOn.replaceAll('-', '')}000902` }),
          'COMMITMENT.CODE_DIVISION_MISMATCH',
          'code',
        ],
        [
          'a commitment made more than five years ago',
          () => {
            const madeOn = addDays(addMonths(today(), -60), -1);
            return { madeOn, code: `350203${madeOn.replaceAll('-', '')}000903`, validUntil: today() };
          },
          'COMMITMENT.MADE_TOO_LONG_AGO',
          'madeOn',
        ],
        [
          'a validity of more than five years',
          (body) => ({ validUntil: addDays(addMonths(body.madeOn, 60), 1) }),
          'COMMITMENT.VALIDITY_TOO_LONG',
          'validUntil',
        ],
      ])('%s → 400 %s naming the field, nothing written', async (_name, change, code, field) => {
        const body = commitment();
        const response = await refused(() => post(`${subjectId}/commitments`, { ...body, ...change(body) }));
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe(code);
        expect(response.body.error.fields).toEqual([{ field, reasons: [expect.any(String)] }]);
      });

      it('the same commitment code twice → 409 COMMITMENT.DUPLICATE_CODE', async () => {
        const body = commitment();
        expect((await post(`${subjectId}/commitments`, body)).status).toBe(201);
        const again = await refused(() => post(`${subjectId}/commitments`, body));
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('COMMITMENT.DUPLICATE_CODE');
      });

      it('an outcome for an unknown record → 404 RECORD.NOT_FOUND; for a record id that is no UUID → 400', async () => {
        const unknown = await refused(() =>
          post(`${subjectId}/commitments/019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d/outcome`, { outcome: 'kept' }),
        );
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('RECORD.NOT_FOUND');
        const malformed = await refused(() =>
          post(`${subjectId}/commitments/42/outcome`, { outcome: 'kept' }),
        );
        expect(malformed.status).toBe(400);
        expect(malformed.body.error.fields).toEqual([
          { field: 'recordId', reasons: ['recordId must be a UUID'] },
        ]);
      });
    });

    describe('rectifications', () => {
      let subjectId: string;
      let recordId: string;
      beforeAll(async () => {
        subjectId = await newInstitution();
      });

      it('a rectification notice is open until completed; open, it is no reason for key supervision', async () => {
        const issued = await post(`${subjectId}/rectifications`, notice());
        expect(issued.status).toBe(201);
        expect(issued.body.eventTypes).toEqual(['RectificationNoticeIssued']);
        recordId = issued.body.recordId;
        const status = await statusOf(subjectId, issued.body.position);
        expect(status).toMatchObject({
          openRectifications: [recordId],
          overdueRectifications: [],
          grade: 'B',
        });
        expect(await listedIds('key-supervision', issued.body.position)).not.toContain(subjectId);
      });

      it('an official of another jurisdiction cannot complete it → 403', async () => {
        const response = await refused(() =>
          post(
            `${subjectId}/rectifications/${recordId}/completion`,
            { completedOn: addDays(today(), -1), verification: '经现场复查，整改到位。' },
            KEYS.haidian,
          ),
        );
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
      });

      it('a completion before the notice was issued → 400 INPUT.INVALID_DATE', async () => {
        const response = await refused(() =>
          post(`${subjectId}/rectifications/${recordId}/completion`, {
            completedOn: addDays(today(), -40),
            verification: '经现场复查，整改到位。',
          }),
        );
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('INPUT.INVALID_DATE');
      });

      it('completion closes it, once', async () => {
        const body = {
          completedOn: addDays(today(), -1),
          verification: '经现场复查，该机构已停止超前培训，预收费已全部纳入资金监管账户，整改到位。',
        };
        const completed = await post(`${subjectId}/rectifications/${recordId}/completion`, body);
        expect(completed.status).toBe(201);
        expect(completed.body).toMatchObject({ recordId, eventTypes: ['RectificationCompleted'] });
        expect((await statusOf(subjectId, completed.body.position)).openRectifications).toEqual([]);
        const again = await refused(() => post(`${subjectId}/rectifications/${recordId}/completion`, body));
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('RECTIFICATION.ALREADY_COMPLETED');
      });

      it('completing a record that is not a rectification → 422 RECORD.WRONG_KIND', async () => {
        const signed = await post(`${subjectId}/commitments`, commitment());
        const response = await refused(() =>
          post(`${subjectId}/rectifications/${signed.body.recordId}/completion`, {
            completedOn: addDays(today(), -1),
            verification: '整改到位。',
          }),
        );
        expect(response.status).toBe(422);
        expect(response.body.error).toMatchObject({
          code: 'RECORD.WRONG_KIND',
          details: { expected: 'rectification', actual: 'commitment' },
        });
      });

      it.each<[string, Record<string, unknown>, number, string]>([
        [
          'a deadline before the notice was issued',
          { deadline: addDays(today(), -30) },
          400,
          'RECTIFICATION.DEADLINE_BEFORE_ISSUE',
        ],
        ['an issue date in the future', { issuedOn: addDays(today(), 1) }, 400, 'INPUT.DATE_IN_FUTURE'],
        ['a deadline that is no date', { deadline: 'next month' }, 400, 'INPUT.VALIDATION_FAILED'],
        ['no issuing authority', { issuingAuthority: undefined }, 400, 'INPUT.VALIDATION_FAILED'],
      ])('%s → %i %s, nothing written', async (_name, overrides, status, code) => {
        const response = await refused(() => post(`${subjectId}/rectifications`, notice(overrides)));
        expect(response.status).toBe(status);
        expect(response.body.error.code).toBe(code);
      });
    });
  },
);
