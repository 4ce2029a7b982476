// Credit reviews (信用审查) over HTTP: single and batch, the ethics veto, clear subjects, bad inputs with their
// codes and fields, scoping and minors, and the access log every review writes; on both backends.
import { addDays, beijingDateOf, residentIdCheckCharacter, usccCheckCharacter } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CREDIT_REVIEW_BATCH_STREAM, readAccessLog, readCreditReviewBatches } from '@ledger/audit';
import { KEYS, startLedger, type Backend, type RunningLedger } from '../support/ledger-app';

const today = () => beijingDateOf(new Date().toISOString());
const SIMING_BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };
const COMMITTEE = { name: '厦门市中小学教师职称评审委员会', uscc: '113502030041255231' };

let serial = 0;
const newUscc = (division = '350203') => {
  const first17 = `52${division}MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const residentId = (first17: string) => first17 + residentIdCheckCharacter(first17);
const newTeacherId = () =>
  residentId(`350203198${String(++serial % 10)}0615${String(100 + serial).slice(-3)}`);

const penalty = (overrides: Record<string, unknown> = {}) => ({
  documentNumber: `思教罚决字〔2026〕审查第${++serial}号`,
  offenceType: '违反教师职业道德',
  facts: '经查，当事人在教育教学活动中存在严重违反师德的行为。',
  legalBasis: '《中小学教师违反职业道德行为处理办法》第四条',
  categories: ['teacher_qualification_revoked'],
  content: '撤销教师资格。',
  decisionDate: addDays(today(), -3),
  authority: SIMING_BUREAU,
  severity: 'serious',
  misconduct: 'teacher_ethics_violation',
  ...overrides,
});

describe.each<Backend>(['sqlite', 'postgres'])('credit reviews over HTTP (%s)', (backend) => {
  let ledger: RunningLedger;
  let store: EventStore;
  let blackListedTeacher: { subjectId: string; identifier: string; recordId: string };
  let cleanTeacher: { subjectId: string; identifier: string };
  let cleanSchool: { subjectId: string; identifier: string };
  let minor: { subjectId: string; identifier: string };
  let head = 0;

  const review = (body: unknown, as: string = KEYS.xiamen) =>
    ledger.request('POST', `/api/v1/credit-reviews?minPosition=${head}`, body, {}, as);
  const batch = (body: unknown, as: string = KEYS.xiamen) =>
    ledger.request('POST', `/api/v1/credit-reviews/batch?minPosition=${head}`, body, {}, as);
  const terms = { purpose: 'promotion', requestingOrganisation: COMMITTEE };

  beforeAll(async () => {
    ledger = await startLedger(backend);
    store = ledger.app.get<EventStore>(EVENT_STORE);
    const teacherId = newTeacherId();
    const teacher = await ledger.register('teacher', '林老师', teacherId);
    const recorded = await ledger.command(`subjects/${teacher}/penalties`, penalty());
    expect(recorded.status).toBe(201);
    blackListedTeacher = { subjectId: teacher, identifier: teacherId, recordId: recorded.body.recordId };
    const cleanId = newTeacherId();
    cleanTeacher = { subjectId: await ledger.register('teacher', '陈老师', cleanId), identifier: cleanId };
    const uscc = newUscc();
    cleanSchool = {
      subjectId: await ledger.register('school', '厦门市思明区实验小学', uscc),
      identifier: uscc,
    };
    const studentId = residentId(`3502032015031540${serial % 10}`);
    minor = { subjectId: await ledger.register('student', '小明', studentId), identifier: studentId };
    const last = await ledger.command(`subjects/${cleanSchool.subjectId}/honours`, {
      title: '2026年度厦门市文明校园',
      category: 'advanced_collective',
      awardingBody: SIMING_BUREAU,
      awardedOn: addDays(today(), -30),
      documentNumber: `厦教〔2026〕审查${++serial}号`,
    });
    expect(last.status).toBe(201);
    head = last.body.position;
  }, 60_000);
  afterAll(() => ledger?.stop());

  describe('a single review', () => {
    it('restricts a black-listed teacher in a promotion review with the ethics veto (师德一票否决)', async () => {
      const answer = await review({ ...terms, subject: { subjectId: blackListedTeacher.subjectId } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        reviewId: expect.any(String),
        purpose: 'promotion',
        requestingOrganisation: COMMITTEE,
        outcome: 'restricted',
        subject: { subjectId: blackListedTeacher.subjectId, kind: 'teacher', name: '林老师' },
        grade: 'D',
        lists: ['black'],
        policyVersion: '2025-01',
      });
      expect(answer.body.subject.identifier).not.toContain(blackListedTeacher.identifier);
      const veto = answer.body.restrictions.find(
        (r: { measure: { code: string } }) => r.measure.code === 'teacher_ethics_veto',
      );
      expect(veto).toMatchObject({
        rule: 'TEACHER_ETHICS_VETO_BLACK_LIST',
        basis: expect.stringContaining('一票否决'),
        listMemberships: [
          {
            list: 'black',
            reasons: expect.arrayContaining([
              { code: 'serious_penalty', recordId: blackListedTeacher.recordId },
            ]),
          },
        ],
        records: [
          { recordId: blackListedTeacher.recordId, kind: 'penalty', status: 'active', disputed: false },
        ],
      });
      expect(answer.body.restrictions.map((r: { rule: string }) => r.rule)).toEqual([
        'TEACHER_ETHICS_VETO_BLACK_LIST',
        'TEACHER_ETHICS_VETO_ETHICS_PENALTY',
        'BLACK_LIST_PROMOTION_LIMITED',
      ]);
    });

    it('finds the subject by identifier {scheme, value}', async () => {
      const answer = await review({
        ...terms,
        subject: { identifier: { scheme: 'resident_id', value: blackListedTeacher.identifier } },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.subject.subjectId).toBe(blackListedTeacher.subjectId);
    });

    it('clears a clean teacher and a clean school', async () => {
      const teacher = await review({ ...terms, subject: { subjectId: cleanTeacher.subjectId } });
      expect(teacher.status).toBe(200);
      expect(teacher.body).toMatchObject({ outcome: 'clear', restrictions: [] });
      const school = await review({
        purpose: 'funding',
        requestingOrganisation: SIMING_BUREAU,
        subject: { identifier: { scheme: 'uscc', value: cleanSchool.identifier } },
      });
      expect(school.body).toMatchObject({ outcome: 'clear', restrictions: [], lists: ['red'] });
    });

    it('logs every review in the subject’s access log: who, whom, for what, at whose request', async () => {
      const answer = await review({
        ...terms,
        reason: '2026年度职称评审',
        subject: { subjectId: cleanSchool.subjectId },
      });
      expect(answer.status).toBe(200);
      const log = await readAccessLog(store, cleanSchool.subjectId);
      const entry = log.find((event) => event.id === answer.body.reviewId);
      expect(entry?.data).toMatchObject({
        subjectId: cleanSchool.subjectId,
        viewer: { userId: 'u-xiamen', department: 'xiamen-education-bureau' },
        purpose: 'promotion',
        reason: '2026年度职称评审',
        resource: 'credit-review',
        review: { purpose: 'promotion', requestingOrganisation: COMMITTEE, outcome: 'clear' },
      });
    });

    it('reviews the standing as of an instant', async () => {
      const before = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      const early = await review({
        ...terms,
        asOf: before,
        subject: { subjectId: blackListedTeacher.subjectId },
      });
      expect(early.status).toBe(404); // not registered yet then
      const now = await review({
        ...terms,
        asOf: new Date().toISOString(),
        subject: { subjectId: blackListedTeacher.subjectId },
      });
      expect(now.body).toMatchObject({ outcome: 'restricted', asOf: expect.any(String) });
    });

    it('answers 404 SUBJECT.NOT_FOUND for an unknown subject, by id and by identifier', async () => {
      const byId = await review({ ...terms, subject: { subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' } });
      expect([byId.status, byId.body.error.code]).toEqual([404, 'SUBJECT.NOT_FOUND']);
      const byIdentifier = await review({
        ...terms,
        subject: { identifier: { scheme: 'resident_id', value: newTeacherId() } },
      });
      expect([byIdentifier.status, byIdentifier.body.error.code]).toEqual([404, 'SUBJECT.NOT_FOUND']);
    });

    it.each([
      [
        'an unknown purpose',
        { ...terms, purpose: 'dating', subject: { subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' } },
        'purpose',
      ],
      [
        'no requesting organisation',
        { purpose: 'promotion', subject: { subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' } },
        'requestingOrganisation',
      ],
      [
        'a bad organisation USCC',
        {
          ...terms,
          requestingOrganisation: { name: 'x', uscc: '123' },
          subject: { subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' },
        },
        'requestingOrganisation.uscc',
      ],
      ['no subject', { ...terms }, 'subject'],
      ['a subject with neither id nor identifier', { ...terms, subject: {} }, 'subject.subjectId'],
      [
        'a subject with both',
        {
          ...terms,
          subject: {
            subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d',
            identifier: { scheme: 'uscc', value: newUscc() },
          },
        },
        'subject',
      ],
      [
        'an unknown scheme',
        { ...terms, subject: { identifier: { scheme: 'passport', value: 'E12345678' } } },
        'subject.identifier.scheme',
      ],
      [
        'a resident ID with a wrong check character',
        { ...terms, subject: { identifier: { scheme: 'resident_id', value: '350203198506151230' } } },
        'subject.identifier.value',
      ],
      [
        'a bad asOf',
        { ...terms, asOf: 'yesterday', subject: { subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' } },
        'asOf',
      ],
    ])('refuses %s with 400 naming the field', async (_what, body, field) => {
      const answer = await review(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('INPUT.VALIDATION_FAILED');
      expect(answer.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('is scoped: another division’s official is refused by id and finds nothing by identifier', async () => {
      const byId = await review(
        { ...terms, subject: { subjectId: blackListedTeacher.subjectId } },
        KEYS.haidian,
      );
      expect(byId.status).toBe(403);
      expect(byId.body.error).toMatchObject({
        code: 'ACCESS.OUTSIDE_JURISDICTION',
        permission: 'credit-reviews.conduct',
      });
      const byIdentifier = await review(
        {
          ...terms,
          subject: { identifier: { scheme: 'resident_id', value: blackListedTeacher.identifier } },
        },
        KEYS.haidian,
      );
      expect([byIdentifier.status, byIdentifier.body.error.code]).toEqual([404, 'SUBJECT.NOT_FOUND']);
    });

    it('is for roles holding credit-reviews.conduct only', async () => {
      const answer = await review(
        { ...terms, subject: { subjectId: cleanSchool.subjectId } },
        KEYS.xiamenReviewer,
      );
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({
        code: 'ACCESS.PERMISSION_REQUIRED',
        permission: 'credit-reviews.conduct',
      });
    });

    it('never names a minor, and clears a clean one for admission', async () => {
      const answer = await review({
        purpose: 'admission',
        requestingOrganisation: SIMING_BUREAU,
        subject: { subjectId: minor.subjectId },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toBe('clear');
      expect(answer.body.subject.name).toBeUndefined();
      expect(JSON.stringify(answer.body)).not.toContain('小明');
      expect(JSON.stringify(answer.body)).not.toContain(minor.identifier);
    });
  });

  describe('a batch review', () => {
    it('answers each subject in order, unknown ones as not_found, and logs the batch in one append', async () => {
      const unknownId = '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d';
      const before = await ledger.eventCount(CREDIT_REVIEW_BATCH_STREAM);
      const answer = await batch({
        ...terms,
        subjects: [
          { subjectId: blackListedTeacher.subjectId },
          { identifier: { scheme: 'resident_id', value: cleanTeacher.identifier } },
          { subjectId: unknownId },
          { identifier: { scheme: 'resident_id', value: newTeacherId() } },
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body.counts).toEqual({ clear: 1, restricted: 1, not_found: 2, refused: 0 });
      expect(answer.body.results).toMatchObject([
        {
          index: 0,
          outcome: 'restricted',
          subjectId: blackListedTeacher.subjectId,
          restrictions: expect.arrayContaining([
            expect.objectContaining({ rule: 'TEACHER_ETHICS_VETO_BLACK_LIST' }),
          ]),
        },
        { index: 1, outcome: 'clear', subjectId: cleanTeacher.subjectId, restrictions: [] },
        { index: 2, outcome: 'not_found', subjectId: unknownId },
        { index: 3, outcome: 'not_found' },
      ]);
      expect(answer.body.results[3].subjectId).toBeUndefined();
      expect(await ledger.eventCount(CREDIT_REVIEW_BATCH_STREAM)).toBe(before + 1);
      const [logged] = (await readCreditReviewBatches(store, blackListedTeacher.subjectId)).filter(
        (event) => event.data.batchId === answer.body.batchId,
      );
      expect(logged?.data).toMatchObject({
        part: 1,
        parts: 1,
        purpose: 'promotion',
        requestingOrganisation: COMMITTEE,
        viewer: { userId: 'u-xiamen' },
        subjects: [blackListedTeacher.subjectId, cleanTeacher.subjectId, unknownId, expect.any(String)],
      });
    });

    it('shows a subject’s batch reviews in its access log (GET /api/v1/audit/access-log)', async () => {
      const answer = await batch({ ...terms, subjects: [{ subjectId: blackListedTeacher.subjectId }] });
      expect(answer.status).toBe(200);
      const log = await ledger.request(
        'GET',
        `/api/v1/audit/access-log?subjectId=${blackListedTeacher.subjectId}`,
        undefined,
        {},
        KEYS.nationalAuditor,
      );
      expect(log.status).toBe(200);
      expect(log.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            resource: 'credit-review-batch',
            purpose: 'promotion',
            viewer: expect.objectContaining({ userId: 'u-xiamen' }),
            review: { purpose: 'promotion', requestingOrganisation: COMMITTEE, batchId: answer.body.batchId },
          }),
          expect.objectContaining({
            resource: 'credit-review',
            review: expect.objectContaining({ outcome: 'restricted' }),
          }),
        ]),
      );
    });

    it('answers refused (with the 403 code) for a subject named by id outside the caller’s divisions', async () => {
      const answer = await batch(
        { ...terms, subjects: [{ subjectId: cleanSchool.subjectId }] },
        KEYS.haidian,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.results).toEqual([
        {
          index: 0,
          outcome: 'refused',
          subjectId: cleanSchool.subjectId,
          error: expect.objectContaining({
            code: 'ACCESS.OUTSIDE_JURISDICTION',
            permission: 'credit-reviews.conduct',
          }),
        },
      ]);
    });

    it('takes 10,000 subjects in one call and refuses 10,001 with REVIEW.BATCH_TOO_LARGE', async () => {
      const subjects = Array.from({ length: 10_000 }, (_, i) =>
        i % 2 === 0 ? { subjectId: cleanSchool.subjectId } : { subjectId: blackListedTeacher.subjectId },
      );
      const ok = await batch({ ...terms, subjects });
      expect(ok.status).toBe(200);
      expect(ok.body.counts).toEqual({ clear: 5_000, restricted: 5_000, not_found: 0, refused: 0 });
      expect(ok.body.logEventIds).toHaveLength(5);
      const tooMany = await batch({
        ...terms,
        subjects: [...subjects, { subjectId: cleanSchool.subjectId }],
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error).toMatchObject({
        code: 'REVIEW.BATCH_TOO_LARGE',
        fields: [{ field: 'subjects' }],
      });
    }, 60_000);

    it.each([
      ['an empty batch', { ...terms, subjects: [] }, 'REVIEW.BATCH_EMPTY', 'subjects'],
      [
        'an unknown purpose',
        { ...terms, purpose: 'lottery', subjects: [{ subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' }] },
        'INPUT.VALIDATION_FAILED',
        'purpose',
      ],
      [
        'no requesting organisation',
        { purpose: 'award', subjects: [{ subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' }] },
        'INPUT.VALIDATION_FAILED',
        'requestingOrganisation',
      ],
      [
        'a bad entry',
        {
          ...terms,
          subjects: [{ subjectId: '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d' }, { subjectId: 'nope' }],
        },
        'INPUT.VALIDATION_FAILED',
        'subjects[1].subjectId',
      ],
      [
        'subjects that are not a list',
        { ...terms, subjects: 'all of them' },
        'INPUT.VALIDATION_FAILED',
        'subjects',
      ],
    ])('refuses %s with 400 %s naming %s', async (_what, body, code, field) => {
      const answer = await batch(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe(code);
      expect(answer.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    });
  });
});
