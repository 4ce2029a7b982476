// Credit repair, objections, official corrections and revocations over HTTP: how a penalty leaves the lists
// and the disclosure feed, how a disputed record is shown and corrected, on both backends.
import {
  addDays,
  addMonths,
  beijingDateOf,
  residentIdCheckCharacter,
  usccCheckCharacter,
} from '@ledger/domain';
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

/** Business dates are Beijing dates. */
const today = () => beijingDateOf(new Date().toISOString());
const UNKNOWN_ID = '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d';

const SIMING_BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };

let serial = 0;
/** A fresh, valid USCC of a private non-enterprise unit (民办非企业单位) registered in `division`. */
const newUscc = (division = '350203') => {
  const first17 = `52${division}MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

const penalty = (overrides: Record<string, unknown> = {}) => ({
  documentNumber: `思教罚决字〔2026〕第${++serial}号`,
  offenceType: '未取得办学许可证擅自开展学科类校外培训',
  facts:
    '经查，当事人于2026年3月至6月期间，在未取得办学许可证的情况下面向中小学生开展数学、英语学科类培训，涉及学员120余人。',
  legalBasis: '《中华人民共和国民办教育促进法》第六十四条',
  categories: ['fine'],
  content: '责令停止违法行为，退还所收费用，并处罚款人民币5万元。',
  fineAmountTenThousandYuan: 5,
  decisionDate: addDays(today(), -1),
  authority: SIMING_BUREAU,
  severity: 'general',
  ...overrides,
});

const repairStatement = {
  correctionStatement:
    '本机构已全额退还违规所收费用并缴清罚款，已依法取得办学许可证，建立了合规管理制度，特申请信用修复。',
};

describe.each<Backend>(['sqlite', 'postgres'])(
  'repairs, objections and corrections over HTTP (%s)',
  (backend) => {
    let ledger: RunningLedger;
    beforeAll(async () => {
      ledger = await startLedger(backend);
    });
    afterAll(() => ledger?.stop());

    const newInstitution = () =>
      ledger.register('training_institution', `厦门市思明区启航培训学校${++serial}`, newUscc());
    const post = (path: string, body: unknown, as?: string) =>
      ledger.command(`subjects/${path}`, body, {}, as);
    /** Records a penalty and answers its record id and the position to read from. */
    const penalise = async (subjectId: string, overrides: Record<string, unknown> = {}) => {
      const response = await post(`${subjectId}/penalties`, penalty(overrides));
      expect(response.status).toBe(201);
      return response.body as { recordId: string; position: number };
    };
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
    const disclosed = async (recordId: string, position: number) => {
      const response = await ledger.request(
        'GET',
        `/api/v1/disclosures/penalties?pageSize=200&minPosition=${position}`,
        undefined,
        {},
        '',
      );
      expect(response.status).toBe(200);
      return response.body.items.find((item: { recordId: string }) => item.recordId === recordId);
    };
    const refused = (send: () => ReturnType<RunningLedger['request']>) => ledger.refuses(send);

    describe('credit repair', () => {
      it('is refused before the minimum publicity period ends → 422 REPAIR.MINIMUM_PERIOD_NOT_REACHED', async () => {
        const subjectId = await newInstitution();
        const decisionDate = addDays(today(), -10);
        const { recordId } = await penalise(subjectId, { decisionDate });
        const response = await refused(() => post(`${subjectId}/repairs`, { recordId, ...repairStatement }));
        expect(response.status).toBe(422);
        expect(response.body.error).toMatchObject({
          code: 'REPAIR.MINIMUM_PERIOD_NOT_REACHED',
          details: { recordId, earliestDate: addMonths(decisionDate, 3) },
        });
      });

      it('of a minor-tier penalty, on the day its three months end → 422 REPAIR.PUBLICITY_ENDS_AUTOMATICALLY', async () => {
        const subjectId = await newInstitution();
        const decisionDate = addMonths(today(), -3);
        const { recordId } = await penalise(subjectId, { decisionDate, severity: 'minor' });
        const response = await refused(() => post(`${subjectId}/repairs`, { recordId, ...repairStatement }));
        expect(response.status).toBe(422);
        expect(response.body.error).toMatchObject({
          code: 'REPAIR.PUBLICITY_ENDS_AUTOMATICALLY',
          details: { recordId, severity: 'minor', publicityEndsOn: addMonths(decisionDate, 3) },
        });
      });

      describe('of a penalty decided more than three months ago', () => {
        let subjectId: string;
        let penaltyId: string;
        let recordedAt: number;
        let applicationId: string;
        beforeAll(async () => {
          subjectId = await newInstitution();
          // False registration is serious misconduct (black list) but a general tier: three months minimum.
          ({ recordId: penaltyId, position: recordedAt } = await penalise(subjectId, {
            offenceType: '虚假登记办学信息',
            misconduct: 'false_registration',
            decisionDate: '2026-06-15',
          }));
        });

        it('starts on the black and key supervision lists and in the disclosure feed', async () => {
          const status = await statusOf(subjectId, recordedAt);
          expect(status.grade).toBe('D');
          expect(status.lists.black.reasons).toEqual([{ code: 'serious_misconduct', recordId: penaltyId }]);
          expect(await listedIds('black', recordedAt)).toContain(subjectId);
          expect(await listedIds('key-supervision', recordedAt)).toContain(subjectId);
          expect(await disclosed(penaltyId, recordedAt)).toMatchObject({
            subjectId,
            publicity: { minimumPeriodEndsOn: '2026-09-15' },
          });
        });

        it('a repair application names the new application and marks the penalty pending', async () => {
          const applied = await post(`${subjectId}/repairs`, { recordId: penaltyId, ...repairStatement });
          expect(applied.status).toBe(201);
          expect(applied.body.eventTypes).toEqual(['RepairApplied']);
          applicationId = applied.body.recordId;
          expect(applicationId).not.toBe(penaltyId);
          expect((await statusOf(subjectId, applied.body.position)).pendingRepairs).toEqual([penaltyId]);
        });

        it('a second application while one is pending → 409 REPAIR.APPLICATION_PENDING', async () => {
          const again = await refused(() =>
            post(`${subjectId}/repairs`, { recordId: penaltyId, ...repairStatement }),
          );
          expect(again.status).toBe(409);
          expect(again.body.error).toMatchObject({
            code: 'REPAIR.APPLICATION_PENDING',
            details: { applicationId },
          });
        });

        it('a rejection without a reason → 400 REPAIR.REJECTION_REASON_REQUIRED', async () => {
          const response = await refused(() =>
            post(`${subjectId}/repairs/${applicationId}/decision`, { decision: 'rejected' }),
          );
          expect(response.status).toBe(400);
          expect(response.body.error.code).toBe('REPAIR.REJECTION_REASON_REQUIRED');
        });

        it('an approval ends publicity early: off the black and key supervision lists, out of the disclosure feed', async () => {
          const approved = await post(`${subjectId}/repairs/${applicationId}/decision`, {
            decision: 'approved',
          });
          expect(approved.status).toBe(201);
          expect(approved.body).toMatchObject({ recordId: applicationId });
          expect(approved.body.eventTypes).toEqual(
            expect.arrayContaining(['RepairApproved', 'ListMembershipChanged', 'CreditGradeChanged']),
          );
          const { position } = approved.body;
          const status = await statusOf(subjectId, position);
          expect(status).toMatchObject({ grade: 'B', activePenalties: [], pendingRepairs: [] });
          expect(status.lists.black.onList).toBe(false);
          expect(status.lists.key_supervision.onList).toBe(false);
          expect(await listedIds('black', position)).not.toContain(subjectId);
          expect(await listedIds('key-supervision', position)).not.toContain(subjectId);
          expect(await disclosed(penaltyId, position)).toBeUndefined();
        });

        it('an application is decided once → 409 REPAIR.ALREADY_DECIDED; an unknown one → 404', async () => {
          const again = await refused(() =>
            post(`${subjectId}/repairs/${applicationId}/decision`, { decision: 'approved' }),
          );
          expect(again.status).toBe(409);
          expect(again.body.error.code).toBe('REPAIR.ALREADY_DECIDED');
          const unknown = await refused(() =>
            post(`${subjectId}/repairs/${UNKNOWN_ID}/decision`, { decision: 'approved' }),
          );
          expect(unknown.status).toBe(404);
          expect(unknown.body.error.code).toBe('REPAIR.APPLICATION_NOT_FOUND');
        });
      });

      it('a penalised institution whose only penalty is repaired leaves key supervision and returns to grade B', async () => {
        const subjectId = await newInstitution();
        const { recordId, position: recorded } = await penalise(subjectId, { decisionDate: '2026-07-20' });
        expect(await listedIds('key-supervision', recorded)).toContain(subjectId);
        const applied = await post(`${subjectId}/repairs`, { recordId, ...repairStatement });
        const approved = await post(`${subjectId}/repairs/${applied.body.recordId}/decision`, {
          decision: 'approved',
          reason: '修复材料齐全，已履行行政处罚决定，公示期满三个月，同意提前终止公示。',
        });
        expect(approved.status).toBe(201);
        const status = await statusOf(subjectId, approved.body.position);
        expect(status).toMatchObject({ grade: 'B', activePenalties: [] });
        expect(status.lists.key_supervision.onList).toBe(false);
        expect(await listedIds('key-supervision', approved.body.position)).not.toContain(subjectId);
        expect(await disclosed(recordId, approved.body.position)).toBeUndefined();
      });

      it('what the Teachers Law says can never be regained is refused → 422 REPAIR.RECORD_NOT_REPAIRABLE', async () => {
        const teacherId = '35020319800101123';
        const subjectId = await ledger.register(
          'teacher',
          '王某',
          teacherId + residentIdCheckCharacter(teacherId),
        );
        const { recordId } = await penalise(subjectId, {
          offenceType: '因故意犯罪受到有期徒刑以上刑事处罚',
          legalBasis: '《中华人民共和国教师法》第十四条',
          categories: ['teacher_qualification_lost'],
          fineAmountTenThousandYuan: undefined,
          content: '丧失教师资格。',
          misconduct: 'intentional_crime',
          decisionDate: '2025-03-03',
        });
        const response = await refused(() => post(`${subjectId}/repairs`, { recordId, ...repairStatement }));
        expect(response.status).toBe(422);
        expect(response.body.error).toMatchObject({
          code: 'REPAIR.RECORD_NOT_REPAIRABLE',
          details: { reason: 'TEACHERS_LAW_ART_14' },
        });
      });

      it.each<[string, unknown, string]>([
        ['a record id that is no UUID', { recordId: 'penalty-1', ...repairStatement }, 'recordId'],
        ['no correction statement', { recordId: UNKNOWN_ID }, 'correctionStatement'],
        ['a decision that is neither approved nor rejected', undefined, 'decision'],
      ])('%s → 400 naming the field, nothing written', async (_name, body, field) => {
        const subjectId = await newInstitution();
        const response = await refused(() =>
          body === undefined
            ? post(`${subjectId}/repairs/${UNKNOWN_ID}/decision`, { decision: 'maybe' })
            : post(`${subjectId}/repairs`, body),
        );
        expect(response.status).toBe(400);
        expect(response.body.error.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      });
    });

    describe('objections', () => {
      let subjectId: string;
      let recordId: string;
      let objectionId: string;
      beforeAll(async () => {
        subjectId = await newInstitution();
        ({ recordId } = await penalise(subjectId));
      });

      it('an objection flags the record disputed at once, in the status and in the disclosure feed', async () => {
        const filed = await post(`${subjectId}/objections`, {
          recordId,
          grounds: '公示的罚款金额为5万元，与处罚决定书原件载明的3万元不一致。',
          requiresExternalVerification: false,
        });
        expect(filed.status).toBe(201);
        expect(filed.body.eventTypes).toEqual(['ObjectionFiled']);
        objectionId = filed.body.recordId;
        expect((await statusOf(subjectId, filed.body.position)).disputedRecords).toEqual([recordId]);
        expect(await disclosed(recordId, filed.body.position)).toMatchObject({ disputed: true });
      });

      it('a second objection to a disputed record → 409 OBJECTION.ALREADY_OPEN', async () => {
        const again = await refused(() =>
          post(`${subjectId}/objections`, {
            recordId,
            grounds: '同上。',
            requiresExternalVerification: true,
          }),
        );
        expect(again.status).toBe(409);
        expect(again.body.error).toMatchObject({ code: 'OBJECTION.ALREADY_OPEN', details: { objectionId } });
      });

      it('a corrected outcome without the corrections → 400 OBJECTION.CORRECTIONS_REQUIRED', async () => {
        const response = await refused(() =>
          post(`${subjectId}/objections/${objectionId}/decision`, {
            outcome: 'corrected',
            reason: '金额有误。',
          }),
        );
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('OBJECTION.CORRECTIONS_REQUIRED');
      });

      it('resolved as corrected: the disclosure shows the corrected fields and the record is no longer disputed', async () => {
        const resolved = await post(`${subjectId}/objections/${objectionId}/decision`, {
          outcome: 'corrected',
          reason: '经核查处罚决定书原件，录入的罚款金额有误，予以更正。',
          corrections: {
            fineAmountTenThousandYuan: 3,
            content: '责令停止违法行为，退还所收费用，并处罚款人民币3万元。',
          },
        });
        expect(resolved.status).toBe(201);
        expect(resolved.body).toMatchObject({
          recordId: objectionId,
          eventTypes: ['ObjectionResolved', 'RecordCorrected'],
        });
        const item = await disclosed(recordId, resolved.body.position);
        expect(item).toMatchObject({
          disputed: false,
          penalty: {
            fineAmountTenThousandYuan: 3,
            content: '责令停止违法行为，退还所收费用，并处罚款人民币3万元。',
            categories: ['fine'],
          },
        });
        expect((await statusOf(subjectId, resolved.body.position)).disputedRecords).toEqual([]);
      });

      it('an objection is resolved once → 409 OBJECTION.ALREADY_RESOLVED; an unknown one → 404', async () => {
        const again = await refused(() =>
          post(`${subjectId}/objections/${objectionId}/decision`, { outcome: 'upheld', reason: '维持。' }),
        );
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('OBJECTION.ALREADY_RESOLVED');
        const unknown = await refused(() =>
          post(`${subjectId}/objections/${UNKNOWN_ID}/decision`, { outcome: 'upheld', reason: '维持。' }),
        );
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('OBJECTION.NOT_FOUND');
      });

      it('resolved as upheld: the record stands as it was', async () => {
        const filed = await post(`${subjectId}/objections`, {
          recordId,
          grounds: '当事人认为违法事实认定不清。',
          requiresExternalVerification: true,
        });
        expect(filed.status).toBe(201);
        const upheld = await post(`${subjectId}/objections/${filed.body.recordId}/decision`, {
          outcome: 'upheld',
          reason: '经复核，违法事实清楚，证据确凿，维持原记录。',
        });
        expect(upheld.status).toBe(201);
        expect(upheld.body.eventTypes).toEqual(['ObjectionResolved']);
        expect(await disclosed(recordId, upheld.body.position)).toMatchObject({
          disputed: false,
          penalty: { fineAmountTenThousandYuan: 3 },
        });
      });

      it('an objection to an unknown record → 404 RECORD.NOT_FOUND; without requiresExternalVerification → 400', async () => {
        const unknown = await refused(() =>
          post(`${subjectId}/objections`, {
            recordId: UNKNOWN_ID,
            grounds: '无此记录。',
            requiresExternalVerification: false,
          }),
        );
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('RECORD.NOT_FOUND');
        const incomplete = await refused(() =>
          post(`${subjectId}/objections`, { recordId, grounds: '金额有误。' }),
        );
        expect(incomplete.status).toBe(400);
        expect(incomplete.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
          'requiresExternalVerification',
        ]);
      });
    });

    describe('official corrections', () => {
      let subjectId: string;
      let recordId: string;
      beforeAll(async () => {
        subjectId = await newInstitution();
        ({ recordId } = await penalise(subjectId));
      });

      it('a correction changes the published fields and keeps the rest', async () => {
        const facts =
          '经查，当事人于2026年3月至6月期间，在未取得办学许可证的情况下面向初中学生开展数学、物理学科类培训，涉及学员86人。';
        const corrected = await post(`${subjectId}/records/${recordId}/corrections`, {
          corrections: { facts },
          reason: '数据录入错误：违法事实中涉及学员人数及科目有误，依据原始卷宗更正。',
        });
        expect(corrected.status).toBe(201);
        expect(corrected.body).toMatchObject({ recordId, eventTypes: ['RecordCorrected'] });
        expect(await disclosed(recordId, corrected.body.position)).toMatchObject({
          penalty: { facts, fineAmountTenThousandYuan: 5 },
        });
      });

      it.each<[string, unknown, number, string]>([
        [
          'a field that decides the publicity window',
          { decisionDate: '2026-01-05' },
          400,
          'INPUT.VALIDATION_FAILED',
        ],
        [
          'an honour’s field on a penalty',
          { documentNumber: '思教罚决字〔2026〕第999号' },
          422,
          'RECORD.FIELD_NOT_CORRECTABLE',
        ],
        ['the value it already has', { fineAmountTenThousandYuan: 5 }, 400, 'RECORD.NOTHING_TO_CORRECT'],
        ['nothing at all', {}, 400, 'RECORD.NOTHING_TO_CORRECT'],
        ['a negative amount', { fineAmountTenThousandYuan: -1 }, 400, 'INPUT.VALIDATION_FAILED'],
        ['blank facts', { facts: ' ' }, 400, 'INPUT.VALIDATION_FAILED'],
      ])('%s → %i %s, nothing written', async (_name, corrections, status, code) => {
        const response = await refused(() =>
          post(`${subjectId}/records/${recordId}/corrections`, { corrections, reason: '更正。' }),
        );
        expect(response.status).toBe(status);
        expect(response.body.error.code).toBe(code);
      });

      it('names the nested field that may not be corrected', async () => {
        const response = await post(`${subjectId}/records/${recordId}/corrections`, {
          corrections: { decisionDate: '2026-01-05' },
          reason: '更正。',
        });
        expect(response.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
          'corrections.decisionDate',
        ]);
      });

      it('an unknown record → 404 RECORD.NOT_FOUND; an official of another jurisdiction → 403', async () => {
        const body = { corrections: { remarks: '已缴清罚款。' }, reason: '补充备注。' };
        const unknown = await refused(() => post(`${subjectId}/records/${UNKNOWN_ID}/corrections`, body));
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.code).toBe('RECORD.NOT_FOUND');
        const haidian = await refused(() =>
          post(`${subjectId}/records/${recordId}/corrections`, body, KEYS.haidian),
        );
        expect(haidian.status).toBe(403);
        expect(haidian.body.error.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
      });
    });

    describe('revocation', () => {
      it('a revoked penalty stops counting and leaves every public output, once; its document number may be recorded again', async () => {
        const subjectId = await newInstitution();
        const body = penalty();
        const recorded = await post(`${subjectId}/penalties`, body);
        const { recordId } = recorded.body;
        expect(await listedIds('key-supervision', recorded.body.position)).toContain(subjectId);

        const revoked = await post(`${subjectId}/records/${recordId}/revocation`, {
          reason: '该行政处罚决定已被行政复议机关撤销（厦府复决〔2026〕21号）。',
        });
        expect(revoked.status).toBe(201);
        expect(revoked.body.eventTypes).toEqual(
          expect.arrayContaining(['RecordRevoked', 'ListMembershipChanged', 'CreditGradeChanged']),
        );
        const { position } = revoked.body;
        expect(await statusOf(subjectId, position)).toMatchObject({ grade: 'B', activePenalties: [] });
        expect(await listedIds('key-supervision', position)).not.toContain(subjectId);
        expect(await disclosed(recordId, position)).toBeUndefined();

        const again = await refused(() =>
          post(`${subjectId}/records/${recordId}/revocation`, { reason: '重复撤销。' }),
        );
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('RECORD.ALREADY_REVOKED');
        const objection = await refused(() =>
          post(`${subjectId}/objections`, {
            recordId,
            grounds: '已撤销。',
            requiresExternalVerification: false,
          }),
        );
        expect(objection.status).toBe(422);
        expect(objection.body.error.code).toBe('RECORD.ALREADY_REVOKED');
        const correction = await refused(() =>
          post(`${subjectId}/records/${recordId}/corrections`, {
            corrections: { remarks: '已撤销。' },
            reason: '更正。',
          }),
        );
        expect(correction.status).toBe(422);
        expect(correction.body.error.code).toBe('RECORD.ALREADY_REVOKED');

        const reentered = await post(`${subjectId}/penalties`, body);
        expect(reentered.status).toBe(201);
        expect(reentered.body.recordId).not.toBe(recordId);
      });

      it('a disputed record revoked: the objection closes with it (record_revoked), nothing stays disputed', async () => {
        const subjectId = await newInstitution();
        const { recordId } = await penalise(subjectId);
        const filed = await post(`${subjectId}/objections`, {
          recordId,
          grounds: '该处罚决定已申请行政复议。',
          requiresExternalVerification: false,
        });
        expect(filed.status).toBe(201);
        const objectionId = filed.body.recordId;
        expect((await statusOf(subjectId, filed.body.position)).disputedRecords).toEqual([recordId]);

        const revoked = await post(`${subjectId}/records/${recordId}/revocation`, {
          reason: '该行政处罚决定已被行政复议机关撤销。',
        });
        expect(revoked.status).toBe(201);
        expect(revoked.body.eventTypes.slice(0, 2)).toEqual(['RecordRevoked', 'ObjectionResolved']);
        expect((await statusOf(subjectId, revoked.body.position)).disputedRecords).toEqual([]);
        expect(await disclosed(recordId, revoked.body.position)).toBeUndefined();
        const decided = await refused(() =>
          post(`${subjectId}/objections/${objectionId}/decision`, { outcome: 'upheld', reason: '维持。' }),
        );
        expect(decided.status).toBe(409);
        expect(decided.body.error.code).toBe('OBJECTION.ALREADY_RESOLVED');
      });

      it('without a reason → 400 naming it; an unknown record → 404; an unknown subject → 404', async () => {
        const subjectId = await newInstitution();
        const { recordId } = await penalise(subjectId);
        const noReason = await refused(() => post(`${subjectId}/records/${recordId}/revocation`, {}));
        expect(noReason.status).toBe(400);
        expect(noReason.body.error.fields).toEqual([{ field: 'reason', reasons: ['reason is required'] }]);
        const unknownRecord = await refused(() =>
          post(`${subjectId}/records/${UNKNOWN_ID}/revocation`, { reason: '录入错误。' }),
        );
        expect(unknownRecord.status).toBe(404);
        expect(unknownRecord.body.error.code).toBe('RECORD.NOT_FOUND');
        const unknownSubject = await refused(() =>
          post(`${UNKNOWN_ID}/records/${recordId}/revocation`, { reason: '录入错误。' }),
        );
        expect(unknownSubject.status).toBe(404);
        expect(unknownSubject.body.error.code).toBe('SUBJECT.NOT_REGISTERED');
      });
    });
  },
);
