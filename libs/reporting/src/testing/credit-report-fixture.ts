// A credit report as the ledger answers it, for the renderer's spec and the bench: `records` penalties.
import { CREDIT_REPORT_FORMAT, type CreditReport, type ReportRecord } from '@ledger/domain';

const hex = (seed: number): string => seed.toString(16).padStart(8, '0').repeat(8);

export function creditReportFixture(records = 3): CreditReport {
  const recordList: ReportRecord[] = Array.from({ length: records }, (_, i) => ({
    recordId: `rec-${i + 1}`,
    kind: 'penalty',
    status: 'active',
    nature: 'dishonest',
    title: i % 2 ? '违规举办学科类校外培训' : '学术不端（抄袭剽窃）',
    documentNumber: `思教罚决字〔2026〕第${i + 1}号`,
    legalBasis: '《中华人民共和国民办教育促进法》第六十二条；《校外培训行政处罚暂行办法》第十三条',
    content: '警告，没收违法所得人民币 12,000 元，并处罚款人民币 30,000 元；责令限期整改。',
    authority: { name: '厦门市思明区教育局', uscc: '11350203003588120Q' },
    decidedOn: '2026-03-05',
    severity: i % 3 === 0 ? 'serious' : 'general',
    publicity: {
      startsOn: '2026-03-05',
      minimumPeriodEndsOn: '2026-06-05',
      endsOn: '2027-03-05',
      disclosure: 'public',
    },
    validUntil: '2031-03-05',
    disputed: i === 1,
    eventIds: [`0193-${i}`],
  }));
  return {
    format: CREDIT_REPORT_FORMAT,
    reportNo: 'CR-350200-20261207-000042',
    issuedAt: '2026-12-07T07:40:28.000Z',
    asOf: '2026-12-07',
    purpose: { code: 'promotion', name: '职称评聘与职务晋升' },
    issuer: {
      authority: { name: '厦门市教育局', jurisdiction: '350200' },
      actor: {
        id: 'u-xiamen',
        role: 'official',
        department: 'xiamen-education-bureau',
        jurisdiction: '350200',
      },
    },
    subject: {
      subjectId: '0193a8f0-7c1e-7000-8000-000000000042',
      kind: 'teacher',
      personType: 'natural_person',
      name: '林晓梅',
      jurisdiction: '350203',
      identifier: { scheme: 'resident_id', value: '350203********3021' },
      isMinor: false,
    },
    standing: {
      grade: 'C',
      supervision: { level: 'enhanced', randomInspectionSamplingPercent: 30 },
      lists: { red: false, black: true, key_supervision: false },
      policyVersion: '2025-01',
    },
    records: recordList,
    measures: [
      {
        code: 'title_evaluation_and_promotion_limited',
        description: 'Limits on professional title evaluation and promotion',
      },
      { code: 'teacher_ethics_veto', description: 'One-vote veto in the teacher ethics review' },
    ],
    repairs: [
      {
        applicationId: 'rep-1',
        recordId: 'rec-1',
        documentNumber: '思教罚决字〔2026〕第1号',
        status: 'pending',
        appliedOn: '2026-07-01',
        decidedOn: null,
        reason: null,
        eventIds: [],
      },
    ],
    objections: [
      {
        objectionId: 'obj-1',
        recordId: 'rec-2',
        documentNumber: '思教罚决字〔2026〕第2号',
        status: 'open',
        grounds: '处罚对象认定有误',
        filedOn: '2026-12-01',
        decisionDueBy: '2026-12-04',
        outcome: null,
        resolvedOn: null,
        reason: null,
        eventIds: [],
      },
    ],
    teacherConfirmation: {
      status: 'requested',
      requestedOn: '2026-12-01',
      answeredOn: null,
      objectionId: null,
      notice: '本报告尚未经教师本人确认，不得作为教师个人职业信用报告使用。',
    },
    excluded: { expired: 2, revoked: 1, repaired: 0 },
    verification: {
      digest: {
        upToPosition: 1042,
        eventCount: 1043,
        root: hex(0xabc123),
        algorithm: 'sha256-merkle-v1',
        createdAt: '2026-12-07T07:39:00.000Z',
        keyId: 'digest-key-2026',
        signature: 'c2ln',
      },
      cutFrom: { streamId: 'subject-0193a8f0-7c1e-7000-8000-000000000042', revision: 7, position: 1040 },
      proofs: recordList.map((r, i) => ({
        eventId: r.eventIds[0]!,
        algorithm: 'sha256-merkle-v1',
        leaf: { position: i, streamId: 'subject-x', revision: i, hash: hex(i) },
        leafIndex: i,
        treeSize: 1043,
        auditPath: [],
      })),
      qr: `CR1|CR-350200-20261207-000042|1042|${hex(0xabc123)}|/api/v1/credit-reports/CR-350200-20261207-000042/verification`,
      verificationPath: '/api/v1/credit-reports/CR-350200-20261207-000042/verification',
      seal: { algorithm: 'Ed25519', contentHash: hex(0x5ea1), keyId: 'digest-key-2026', signature: 'c2ln' },
    },
  };
}
