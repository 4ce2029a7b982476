// The access matrix, generated from the OpenAPI document: every route × every role × inside/outside the
// subject's jurisdiction × own/other department, each cell's status asserted, and what each cell sees of
// personal data (a full resident ID number only in raw events, only for roles holding identifiers.read.full).
// A route in the document without an entry here fails the test.
import {
  addDays,
  beijingDateOf,
  defaultAccessPolicy,
  residentIdCheckCharacter,
  usccCheckCharacter,
} from '@ledger/domain';
import { EVENT_STORE, type Actor, type EventStore } from '@ledger/event-store';
import { caseIdFor } from '@ledger/messaging';
import { startLedger, type RunningLedger } from '../support/ledger-app';

const ROLES = ['official', 'reviewer', 'auditor', 'discipline-system', 'admin', 'tax-bureau'] as const;
type Role = (typeof ROLES)[number];

/** Every subject of the matrix is in Siming district (350203), Xiamen (350200), Fujian (350000). */
const SUBJECT_DIVISION = '350203';
const SCOPES = {
  national: { jurisdiction: '000000', department: 'ministry-credit-office', inside: true },
  /** Inside, and the department that records the fixtures. */
  ownDepartment: { jurisdiction: '350200', department: 'xiamen-education-bureau', inside: true },
  otherDepartment: { jurisdiction: '350200', department: 'xiamen-sports-bureau', inside: true },
  /** The province above the recording city: its superior. */
  superior: { jurisdiction: '350000', department: 'fujian-education-department', inside: true },
  /** A county official outside its county (Huli, beside Siming). */
  otherCounty: { jurisdiction: '350206', department: 'huli-education-bureau', inside: false },
  otherProvince: { jurisdiction: '410000', department: 'henan-education-department', inside: false },
} as const;
type Scope = keyof typeof SCOPES;

const keyOf = (role: Role, scope: Scope) => `matrix-${role}-${scope}`;
const apiKeys = new Map<string, Actor>(
  ROLES.flatMap((role) =>
    (Object.keys(SCOPES) as Scope[]).map((scope): [string, Actor] => [
      keyOf(role, scope),
      {
        userId: `u-${role}-${scope}`,
        role,
        department: SCOPES[scope].department,
        jurisdiction: SCOPES[scope].jurisdiction,
      },
    ]),
  ),
);
const RECORDER = keyOf('official', 'ownDepartment');
const holds = (role: Role, permission: string) =>
  (defaultAccessPolicy.roles[role] as readonly string[] | undefined)?.includes(permission) ?? false;
const PURPOSE: Partial<Record<Role, string>> = {
  official: 'supervision',
  reviewer: 'supervision',
  auditor: 'audit',
};

const today = () => beijingDateOf(new Date().toISOString());
const UNKNOWN_ID = '019ab0c4-5e3f-7a21-8c4d-2f6e8a9b1c3d';
const UNKNOWN_KEY_ID = 'kMatrixUnknown1';
const BUREAU = { name: '厦门市思明区教育局', uscc: '113502030041255231' };
let serial = 0;
const newUscc = () => {
  const first17 = `52${SUBJECT_DIVISION}MA${String(++serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const residentId = (first17: string) => first17 + residentIdCheckCharacter(first17);
const TEACHER_ID = residentId('35020319850615123');
const STUDENT_ID = residentId('35020320120315401');

const penalty = () => ({
  documentNumber: `思教罚决字〔2026〕矩阵第${++serial}号`,
  offenceType: '未取得办学许可证擅自开展学科类校外培训',
  facts: '经查，当事人在未取得办学许可证的情况下面向中小学生开展学科类培训。',
  legalBasis: '《中华人民共和国民办教育促进法》第六十四条',
  categories: ['notice_of_criticism'],
  content: '通报批评。',
  decisionDate: addDays(today(), -1),
  authority: BUREAU,
  severity: 'minor',
});

type Variant = 'legal' | 'natural' | 'minor';
interface Fixtures {
  subjects: Record<Variant, string>;
  identifiers: Record<Variant, string>;
  registrationEvents: Record<Variant, string>;
  /** A fresh school per write route, so one route's writes never change another's answers. */
  schools: Record<string, string>;
  sharedRecord: string;
  /** The joint-discipline case a serious penalty opened for a Siming school. */
  caseId: string;
}
interface Cell {
  readonly role: Role;
  readonly scope: Scope;
  readonly variant: Variant;
  readonly key: string;
}
interface Expected {
  readonly status: number;
  readonly code?: string;
  readonly permission?: string;
}

/** What a route acts on, which decides the columns that pass. */
type Target =
  | 'none' // no subject: role only
  | 'national' // the whole country: national jurisdiction only
  | 'subject-write' // a subject's stream: inside its divisions (the decider says ACTOR.OUTSIDE_JURISDICTION)
  | 'record-write' // a record: inside, and the recording department or its superior
  | 'subject-read' // a subject's record: inside, and natural persons' / minors' permissions
  | 'lookup' // by identifier: what may not be read looks unknown (404)
  | 'listing'; // a listing with ?jurisdiction=350203

interface RouteSpec {
  readonly permission: string; // 'public' for public routes
  readonly target: Target;
  readonly variants?: readonly Variant[];
  /** The status of a cell that passes every check. */
  readonly ok: number;
  /** Whether a cell that passes may see raw events (full ID numbers). */
  readonly raw?: boolean;
  request(cell: Cell, f: Fixtures, ledger: RunningLedger): Promise<{ path: string; body?: unknown }>;
}

const ALL: readonly Variant[] = ['legal', 'natural', 'minor'];
const command = (
  route: string,
  body: (f: Fixtures) => unknown,
  path: (f: Fixtures) => string,
): RouteSpec => ({
  permission: 'records.write',
  target: 'subject-write',
  ok: 201,
  request: async (_cell, f) => ({ path: path(f), body: body(f) }),
  ...{ route },
});
const school = (f: Fixtures, route: string) => f.schools[route]!;
const asOf = () => encodeURIComponent(new Date().toISOString());

/** A record the cell may act on: a fresh one where the cell passes (so each answer is the first), else a shared one. */
async function recordFor(cell: Cell, f: Fixtures, ledger: RunningLedger, route: string): Promise<string> {
  if (!holds(cell.role, 'records.correct') || !SCOPES[cell.scope].inside || cell.scope === 'otherDepartment')
    return f.sharedRecord;
  const recorded = await ledger.command(`subjects/${school(f, route)}/penalties`, penalty(), {}, RECORDER);
  expect(recorded.status).toBe(201);
  return recorded.body.recordId;
}

const ROUTES: Record<string, RouteSpec> = {
  'GET /health': {
    permission: 'public',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/health' }),
  },
  'GET /api/v1/disclosures/penalties': {
    permission: 'public',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/api/v1/disclosures/penalties' }),
  },
  'POST /api/v1/subjects': {
    permission: 'subjects.register',
    target: 'subject-write',
    ok: 201,
    request: async () => ({
      path: '/api/v1/subjects',
      body: {
        kind: 'training_institution',
        name: '矩阵培训学校',
        identifier: newUscc(),
        jurisdiction: SUBJECT_DIVISION,
      },
    }),
  },
  'POST /api/v1/subjects/{subjectId}/penalties': command(
    'penalties',
    () => penalty(),
    (f) => `/api/v1/subjects/${school(f, 'penalties')}/penalties`,
  ),
  'POST /api/v1/subjects/{subjectId}/honours': command(
    'honours',
    () => ({
      title: '2026年度厦门市中小学德育工作先进集体',
      category: 'advanced_collective',
      awardingBody: BUREAU,
      awardedOn: addDays(today(), -30),
      documentNumber: `厦教德〔2026〕矩阵${++serial}号`,
      description: '在立德树人工作中成绩突出。',
    }),
    (f) => `/api/v1/subjects/${school(f, 'honours')}/honours`,
  ),
  'POST /api/v1/subjects/{subjectId}/commitments': command(
    'commitments',
    () => {
      const madeOn = addDays(today(), -10);
      return {
        code: `${SUBJECT_DIVISION}${madeOn.replaceAll('-', '')}${String(++serial).padStart(6, '0')}`,
        type: 'in_place_of_certificate',
        reason: '以承诺代替消防安全检查合格证明',
        content: '本机构承诺所提交材料真实有效。',
        liabilityOnBreach: '如违反承诺，自愿记入失信信息。',
        madeOn,
        validUntil: addDays(today(), 30),
        acceptingUnit: BUREAU,
        disclosure: 'public',
      };
    },
    (f) => `/api/v1/subjects/${school(f, 'commitments')}/commitments`,
  ),
  'POST /api/v1/subjects/{subjectId}/commitments/{recordId}/outcome': {
    ...command(
      'outcome',
      () => ({ outcome: 'kept' }),
      (f) => `/api/v1/subjects/${school(f, 'outcome')}/commitments/${UNKNOWN_ID}/outcome`,
    ),
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/rectifications': command(
    'rectifications',
    () => ({
      noticeNumber: `思教整改〔2026〕矩阵${++serial}号`,
      finding: '超前超标培训',
      requirements: '立即停止超前超标培训，于期限内提交整改报告。',
      issuedOn: addDays(today(), -20),
      deadline: addDays(today(), 10),
      issuingAuthority: BUREAU,
    }),
    (f) => `/api/v1/subjects/${school(f, 'rectifications')}/rectifications`,
  ),
  'POST /api/v1/subjects/{subjectId}/rectifications/{recordId}/completion': {
    ...command(
      'completion',
      () => ({ completedOn: addDays(today(), -1), verification: '经现场复查，整改到位。' }),
      (f) => `/api/v1/subjects/${school(f, 'completion')}/rectifications/${UNKNOWN_ID}/completion`,
    ),
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/repairs': {
    ...command(
      'repairs',
      () => ({
        recordId: UNKNOWN_ID,
        correctionStatement: '本机构已全额退还违规所收费用并缴清罚款，特申请信用修复。',
      }),
      (f) => `/api/v1/subjects/${school(f, 'repairs')}/repairs`,
    ),
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/repairs/{applicationId}/decision': {
    ...command(
      'decide-repair',
      () => ({ decision: 'approved', reason: '材料齐全。' }),
      (f) => `/api/v1/subjects/${school(f, 'decide-repair')}/repairs/${UNKNOWN_ID}/decision`,
    ),
    permission: 'repairs.decide',
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/objections': {
    ...command(
      'objections',
      () => ({
        recordId: UNKNOWN_ID,
        grounds: '公示的罚款金额与处罚决定书原件不一致。',
        requiresExternalVerification: false,
      }),
      (f) => `/api/v1/subjects/${school(f, 'objections')}/objections`,
    ),
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/objections/{objectionId}/decision': {
    ...command(
      'resolve-objection',
      () => ({ outcome: 'upheld', reason: '维持。' }),
      (f) => `/api/v1/subjects/${school(f, 'resolve-objection')}/objections/${UNKNOWN_ID}/decision`,
    ),
    permission: 'objections.resolve',
    ok: 404,
  },
  'POST /api/v1/subjects/{subjectId}/records/{recordId}/corrections': {
    permission: 'records.correct',
    target: 'record-write',
    ok: 201,
    request: async (cell, f, ledger) => ({
      path: `/api/v1/subjects/${school(f, 'records')}/records/${await recordFor(cell, f, ledger, 'records')}/corrections`,
      body: {
        corrections: { facts: `经查，更正后的违法事实（${++serial}）。` },
        reason: '数据录入错误，依据原始卷宗更正。',
      },
    }),
  },
  'POST /api/v1/subjects/{subjectId}/records/{recordId}/revocation': {
    permission: 'records.correct',
    target: 'record-write',
    ok: 201,
    request: async (cell, f, ledger) => ({
      path: `/api/v1/subjects/${school(f, 'records')}/records/${await recordFor(cell, f, ledger, 'records')}/revocation`,
      body: { reason: '该行政处罚决定已被行政复议机关撤销。' },
    }),
  },
  'GET /api/v1/subjects/{subjectId}': {
    permission: 'subjects.read',
    target: 'subject-read',
    variants: ALL,
    ok: 200,
    request: async (cell, f) => ({ path: `/api/v1/subjects/${f.subjects[cell.variant]}` }),
  },
  'GET /api/v1/subjects': {
    permission: 'subjects.lookup',
    target: 'lookup',
    ok: 200,
    request: async (_cell, f) => ({ path: `/api/v1/subjects?code=${f.identifiers.legal}` }),
  },
  'POST /api/v1/subjects/lookup': {
    permission: 'subjects.lookup',
    target: 'lookup',
    variants: ALL,
    ok: 200,
    request: async (cell, f) => ({
      path: '/api/v1/subjects/lookup',
      body: { identifier: f.identifiers[cell.variant] },
    }),
  },
  'GET /api/v1/subjects/{subjectId}/events': {
    permission: 'history.read',
    target: 'subject-read',
    variants: ALL,
    ok: 200,
    raw: true,
    request: async (cell, f) => ({ path: `/api/v1/subjects/${f.subjects[cell.variant]}/events` }),
  },
  'GET /api/v1/subjects/{subjectId}/status-as-of': {
    permission: 'history.read',
    target: 'subject-read',
    variants: ALL,
    ok: 200,
    request: async (cell, f) => ({
      path: `/api/v1/subjects/${f.subjects[cell.variant]}/status-as-of?asOf=${asOf()}`,
    }),
  },
  // Issue 20 §2: a review reads the subject's standing (natural persons' and minors' permissions too); a batch
  // answers each subject inside (refused ones as `refused`), so only the role decides its status.
  'POST /api/v1/credit-reviews': {
    permission: 'credit-reviews.conduct',
    target: 'subject-read',
    variants: ALL,
    ok: 200,
    request: async (cell, f) => ({
      path: '/api/v1/credit-reviews',
      body: {
        purpose: 'promotion',
        requestingOrganisation: BUREAU,
        subject: { subjectId: f.subjects[cell.variant] },
      },
    }),
  },
  'POST /api/v1/credit-reviews/batch': {
    permission: 'credit-reviews.conduct',
    target: 'none',
    ok: 200,
    request: async (_cell, f) => ({
      path: '/api/v1/credit-reviews/batch',
      body: {
        purpose: 'funding',
        requestingOrganisation: BUREAU,
        subjects: [
          { subjectId: f.subjects.legal },
          { subjectId: f.subjects.natural },
          { subjectId: f.subjects.minor },
        ],
      },
    }),
  },
  'GET /api/v1/lists/red': listing('lists.read', '/api/v1/lists/red?jurisdiction=350203'),
  'GET /api/v1/lists/black': listing('lists.read', '/api/v1/lists/black?jurisdiction=350203'),
  'GET /api/v1/lists/key-supervision': listing(
    'lists.read',
    '/api/v1/lists/key-supervision?jurisdiction=350203',
  ),
  'GET /api/v1/lists/{list}/as-of': {
    permission: 'history.read',
    target: 'listing',
    ok: 200,
    request: async () => ({ path: `/api/v1/lists/black/as-of?asOf=${asOf()}&jurisdiction=350203` }),
  },
  'GET /api/v1/audit/events': {
    permission: 'audit.feed.read',
    target: 'national',
    ok: 200,
    raw: true,
    request: async () => ({ path: '/api/v1/audit/events?limit=1000' }),
  },
  'GET /api/v1/audit/access-log': {
    permission: 'audit.access-log.read',
    target: 'subject-read',
    variants: ['natural'],
    ok: 200,
    request: async (_cell, f) => ({ path: `/api/v1/audit/access-log?subjectId=${f.subjects.natural}` }),
  },
  'GET /api/v1/audit/verify': {
    permission: 'ledger.verify',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/api/v1/audit/verify' }),
  },
  'GET /api/v1/audit/digests': {
    permission: 'ledger.verify',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/api/v1/audit/digests' }),
  },
  // Issue 19: consistency proofs between digests, and the digests' public keys for anyone.
  'GET /api/v1/audit/consistency': {
    permission: 'ledger.verify',
    target: 'none',
    ok: 200,
    request: async (_cell, _f, ledger) => {
      const digests = (
        await ledger.request('GET', '/api/v1/audit/digests', undefined, {}, keyOf('auditor', 'national'))
      ).body as { upToPosition: number }[];
      const [first, last] = [digests[0]!, digests[digests.length - 1]!];
      return { path: `/api/v1/audit/consistency?from=${first.upToPosition}&to=${last.upToPosition}` };
    },
  },
  // Issue 24: the Prometheus metrics, for admins and the monitoring role.
  'GET /metrics': {
    permission: 'metrics.read',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/metrics' }),
  },
  'GET /.well-known/ledger-keys.json': {
    permission: 'public',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/.well-known/ledger-keys.json' }),
  },
  'GET /api/v1/audit/proof/{eventId}': {
    permission: 'ledger.verify',
    target: 'subject-read',
    variants: ALL,
    ok: 200,
    raw: true,
    request: async (cell, f) => ({ path: `/api/v1/audit/proof/${f.registrationEvents[cell.variant]}` }),
  },
  'GET /api/v1/cases/{caseId}': {
    permission: 'cases.read',
    target: 'listing',
    ok: 200,
    request: async (_cell, f) => ({ path: `/api/v1/cases/${f.caseId}` }),
  },
  // Managed API keys: national admins only (a key names any jurisdiction, so issuing one is national).
  'GET /api/v1/api-keys': {
    permission: 'keys.manage',
    target: 'national',
    ok: 200,
    request: async () => ({ path: '/api/v1/api-keys' }),
  },
  // An empty body: a cell that passes reaches validation (400) and issues nothing.
  'POST /api/v1/api-keys': {
    permission: 'keys.manage',
    target: 'national',
    ok: 400,
    request: async () => ({ path: '/api/v1/api-keys', body: {} }),
  },
  'POST /api/v1/api-keys/{keyId}/rotation': {
    permission: 'keys.manage',
    target: 'national',
    ok: 404,
    request: async () => ({ path: `/api/v1/api-keys/${UNKNOWN_KEY_ID}/rotation`, body: {} }),
  },
  'POST /api/v1/api-keys/{keyId}/revocation': {
    permission: 'keys.manage',
    target: 'national',
    ok: 404,
    request: async () => ({
      path: `/api/v1/api-keys/${UNKNOWN_KEY_ID}/revocation`,
      body: { reason: '矩阵测试' },
    }),
  },
  'GET /api/v1/reports/reporting-timeliness': {
    permission: 'reports.read',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/api/v1/reports/reporting-timeliness' }),
  },
  'GET /api/v1/calendar/years': {
    permission: 'calendar.read',
    target: 'none',
    ok: 200,
    request: async () => ({ path: '/api/v1/calendar/years' }),
  },
  // An empty body: a cell that passes the access checks reaches validation (400) and records nothing.
  'POST /api/v1/calendar/years': {
    permission: 'calendar.manage',
    target: 'national',
    ok: 400,
    request: async () => ({ path: '/api/v1/calendar/years', body: {} }),
  },
  'POST /api/v1/calendar/years/{year}/amendments': {
    permission: 'calendar.manage',
    target: 'national',
    ok: 400,
    request: async () => ({ path: '/api/v1/calendar/years/2027/amendments', body: {} }),
  },
};

function listing(permission: string, path: string): RouteSpec {
  return { permission, target: 'listing', ok: 200, request: async () => ({ path }) };
}

const refused = (code: string, permission: string): Expected => ({ status: 403, code, permission });
const NOT_FOUND: Expected = { status: 404, code: 'SUBJECT.NOT_FOUND' };

/** The expected answer of a cell, from the route's entry and the roles' permissions in the policy. */
function expected(spec: RouteSpec, { role, scope, variant }: Cell): Expected {
  if (spec.permission === 'public') return { status: spec.ok };
  if (!holds(role, spec.permission)) return refused('ACCESS.PERMISSION_REQUIRED', spec.permission);
  const { inside } = SCOPES[scope];
  const personal =
    variant === 'natural' ? 'subjects.read.natural' : variant === 'minor' ? 'subjects.read.minor' : undefined;
  switch (spec.target) {
    case 'none':
      return { status: spec.ok };
    case 'national':
      return scope === 'national'
        ? { status: spec.ok }
        : refused('ACCESS.OUTSIDE_JURISDICTION', spec.permission);
    case 'listing':
      return inside ? { status: spec.ok } : refused('ACCESS.OUTSIDE_JURISDICTION', spec.permission);
    case 'subject-write':
      return inside ? { status: spec.ok } : refused('ACTOR.OUTSIDE_JURISDICTION', spec.permission);
    case 'record-write':
      if (!inside) return refused('ACTOR.OUTSIDE_JURISDICTION', spec.permission);
      return scope === 'otherDepartment'
        ? refused('ACCESS.NOT_RECORDING_DEPARTMENT', spec.permission)
        : { status: spec.ok };
    case 'subject-read':
      if (personal && spec.permission !== 'audit.access-log.read' && !holds(role, personal))
        return refused('ACCESS.PERMISSION_REQUIRED', personal);
      return inside ? { status: spec.ok } : refused('ACCESS.OUTSIDE_JURISDICTION', spec.permission);
    case 'lookup':
      // A resident ID number needs a purpose of the caller's role before anything is looked up.
      if (personal && !PURPOSE[role]) return { status: 400, code: 'ACCESS.PURPOSE_REQUIRED' };
      if (!inside || (personal && !holds(role, personal))) return NOT_FOUND;
      return { status: spec.ok };
    default: {
      const unhandled: never = spec.target;
      return unhandled;
    }
  }
}

describe('the access matrix (embedded store)', () => {
  let ledger: RunningLedger;
  let fixtures: Fixtures;
  let operations: Array<{ route: string; permission: string | undefined; forbidden: string | undefined }>;

  beforeAll(async () => {
    ledger = await startLedger('sqlite', { digestEveryEvents: 1, digestEverySeconds: 1 }, apiKeys);
    const register = async (kind: string, name: string, identifier: string) => {
      const created = await ledger.command(
        'subjects',
        { kind, name, identifier, jurisdiction: SUBJECT_DIVISION },
        {},
        RECORDER,
      );
      expect(created.status).toBe(201);
      return { subjectId: created.body.subjectId as string, eventId: created.body.eventIds[0] as string };
    };
    const legal = newUscc();
    const [s, t, m] = [
      await register('training_institution', '矩阵学校', legal),
      await register('teacher', '矩阵老师', TEACHER_ID),
      await register('student', '矩阵学生', STUDENT_ID),
    ];
    const schools: Record<string, string> = {};
    for (const route of [
      'penalties',
      'honours',
      'commitments',
      'outcome',
      'rectifications',
      'completion',
      'repairs',
      'decide-repair',
      'objections',
      'resolve-objection',
      'records',
    ])
      schools[route] = (await register('training_institution', `矩阵${route}`, newUscc())).subjectId;
    const shared = await ledger.command(`subjects/${schools.records}/penalties`, penalty(), {}, RECORDER);
    expect(shared.status).toBe(201);
    const blacklisted = (await register('training_institution', '矩阵黑名单学校', newUscc())).subjectId;
    const serious = await ledger.command(
      `subjects/${blacklisted}/penalties`,
      {
        ...penalty(),
        categories: ['licence_revoked'],
        content: '吊销办学许可证',
        licenceAffected: '办学许可证 教民135020370000099号',
        severity: 'serious',
      },
      {},
      RECORDER,
    );
    expect(serious.status).toBe(201);
    const stream = await ledger.app.get<EventStore>(EVENT_STORE).readStream(`subject-${blacklisted}`);
    const entered = stream.find(
      (e) => e.type === 'ListMembershipChanged' && (e.data as { list: string }).list === 'black',
    );
    const caseId = caseIdFor(entered!.id);
    fixtures = {
      subjects: { legal: s.subjectId, natural: t.subjectId, minor: m.subjectId },
      identifiers: { legal, natural: TEACHER_ID, minor: STUDENT_ID },
      registrationEvents: { legal: s.eventId, natural: t.eventId, minor: m.eventId },
      schools,
      sharedRecord: shared.body.recordId,
      caseId,
    };
    // Proofs need a digest that covers the registrations; the read models need to have caught up.
    const head = serious.body.position as number;
    const auditor = keyOf('auditor', 'national');
    for (let i = 0; i < 200; i++) {
      const digests = await ledger.request('GET', '/api/v1/audit/digests', undefined, {}, auditor);
      const status = await ledger.request(
        'GET',
        `/api/v1/subjects/${s.subjectId}?minPosition=${head}`,
        undefined,
        {},
        auditor,
      );
      if (
        digests.body.length > 0 &&
        digests.body[digests.body.length - 1].upToPosition >= head &&
        status.status === 200
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const docs = await ledger.request('GET', '/docs/openapi.json', undefined, {}, '');
    operations = Object.entries(
      docs.body.paths as Record<
        string,
        Record<string, { 'x-permission'?: string; responses?: Record<string, { description?: string }> }>
      >,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        permission: operation['x-permission'],
        forbidden: operation.responses?.['403']?.description,
      })),
    );
  }, 120_000);
  afterAll(() => ledger?.stop());

  it('has an entry for every route of the OpenAPI document, and no entry for a route it lacks', () => {
    expect(operations.map((o) => o.route).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('documents each route’s permission (x-permission) as the matrix expects it', () => {
    for (const { route, permission, forbidden } of operations) {
      expect([route, permission ?? 'public']).toEqual([route, ROUTES[route]?.permission]);
      // Its 403 answer is documented with the stable codes and the permission it names.
      if (permission)
        expect([route, forbidden]).toEqual([
          route,
          expect.stringMatching(
            new RegExp(`Needs ${permission.replace('.', '\\.')}.*ACCESS\\.PERMISSION_REQUIRED`),
          ),
        ]);
    }
  });

  it.each(Object.keys(ROUTES))(
    '%s: every role × jurisdiction × department answers as the policy says',
    async (route) => {
      const spec = ROUTES[route]!;
      const [method] = route.split(' ');
      const mismatches: string[] = [];
      for (const role of ROLES)
        for (const scope of Object.keys(SCOPES) as Scope[])
          for (const variant of spec.variants ?? (['legal'] as const)) {
            const cell: Cell = { role, scope, variant, key: keyOf(role, scope) };
            const want = expected(spec, cell);
            const { path, body } = await spec.request(cell, fixtures, ledger);
            const headers: Record<string, string> = { 'x-access-reason': encodeURIComponent('访问矩阵测试') };
            if (PURPOSE[role]) headers['x-access-purpose'] = PURPOSE[role]!;
            else headers['x-access-purpose'] = '';
            const response = await ledger.request(method!, path, body, headers, cell.key);
            const got = {
              status: response.status,
              code: want.code === undefined ? undefined : response.body?.error?.code,
              permission: want.permission === undefined ? undefined : response.body?.error?.permission,
            };
            if (
              JSON.stringify(got) !==
              JSON.stringify({ status: want.status, code: want.code, permission: want.permission })
            )
              mismatches.push(
                `${role}@${scope}/${variant}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
              );
            // What the cell sees of personal data: a full ID number only in raw events, only with identifiers.read.full.
            const text = JSON.stringify(response.body ?? '');
            const fullIdShown = text.includes(TEACHER_ID) || text.includes(STUDENT_ID);
            const mayShow =
              response.status === 200 && spec.raw === true && holds(role, 'identifiers.read.full');
            if (fullIdShown && !mayShow)
              mismatches.push(`${role}@${scope}/${variant}: a full ID number in the answer`);
            if (mayShow && variant !== 'legal' && !fullIdShown && route !== 'GET /api/v1/audit/events')
              mismatches.push(`${role}@${scope}/${variant}: raw events without the full ID number`);
          }
      expect(mismatches).toEqual([]);
    },
    120_000,
  );

  it('refuses a tax bureau and another province every minor’s record, on every route that shows one', async () => {
    for (const key of [keyOf('tax-bureau', 'superior'), keyOf('official', 'otherProvince')]) {
      for (const path of [
        `/api/v1/subjects/${fixtures.subjects.minor}`,
        `/api/v1/subjects/${fixtures.subjects.minor}/events`,
        `/api/v1/subjects/${fixtures.subjects.minor}/status-as-of?asOf=${asOf()}`,
      ]) {
        const response = await ledger.request(
          'GET',
          path,
          undefined,
          { 'x-access-purpose': 'supervision', 'x-access-reason': 'x' },
          key,
        );
        expect([path, response.status]).toEqual([path, 403]);
      }
    }
  });
});
