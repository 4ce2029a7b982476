// Credit reports over HTTP: the report of a school with a penalty, its proofs and seal, bad inputs, and the
// verification endpoint after the record was revoked.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReportSeal, verifyInclusionProof } from '@ledger/audit';
import { addDays, beijingDateOf } from '@ledger/domain';
import { AUDIT_KEYS, startAuditLedger, type AuditLedger } from '../audit/support/audit-ledger';

const today = () => beijingDateOf(new Date().toISOString());
const bureau = { name: '厦门市思明区教育局', uscc: '113502030041255231' };

describe('credit reports over HTTP (sqlite)', () => {
  let ledger: AuditLedger;
  let school: string;
  let recordId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON
  let report: any;

  beforeAll(async () => {
    ledger = await startAuditLedger('sqlite', {
      digestEveryEvents: 1,
      digestEverySeconds: 0.1,
      digestChunkSize: 4,
    });
    const registered = await ledger.request('POST', '/api/v1/subjects', {
      body: {
        kind: 'private_school',
        name: '厦门阳光实验学校',
        identifier: '91350200776049653A',
        jurisdiction: '350203',
      },
    });
    expect(registered.status).toBe(201);
    school = registered.body.subjectId;
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
    recordId = penalty.body.recordId;
  });
  afterAll(() => ledger?.stop());

  describe('given a school with a penalty, when its report is pulled for funding', () => {
    beforeAll(async () => {
      const response = await ledger.request(
        'GET',
        `/api/v1/subjects/${school}/credit-report?purpose=funding`,
        {
          as: AUDIT_KEYS.xiamen,
        },
      );
      expect(response.status).toBe(200);
      report = response.body;
    });

    it('lists the record with its document number', () => {
      expect(report.reportNo).toMatch(/^CR-\d{4}-[0-9A-F]{12}$/);
      expect(report.purpose.code).toBe('funding');
      expect(report.subject.identifier).toEqual({ scheme: 'uscc', value: '91350200776049653A' });
      expect(report.records).toEqual([
        expect.objectContaining({ recordId, documentNumber: '思教罚决字〔2026〕第1号' }),
      ]);
    });

    it('carries a proof per event, each verifying against the digest, and a valid seal', async () => {
      const { verification } = report;
      const proven = new Set(verification.proofs.map((p: { eventId: string }) => p.eventId));
      for (const id of report.records[0].eventIds) expect(proven.has(id)).toBe(true);
      for (const proof of verification.proofs)
        expect(
          verifyInclusionProof(
            { ...proof, digest: verification.digest },
            { trustedDigest: verification.digest },
          ),
        ).toEqual({ valid: true });
      expect(verification.qr).toBe(
        `CR1|${report.reportNo}|${verification.digest.upToPosition}|${verification.digest.root}|/api/v1/credit-reports/${report.reportNo}/verification`,
      );
      const keys = await ledger.request('GET', '/.well-known/ledger-keys.json');
      expect(checkReportSeal(report, keys.body)).toMatchObject({ valid: true });
      expect(checkReportSeal({ ...report, records: [] }, keys.body)).toMatchObject({ valid: false });
    });

    it('is recorded: the verification endpoint knows it as genuine and current', async () => {
      const answer = await ledger.request('GET', `/api/v1/credit-reports/${report.reportNo}/verification`, {
        as: AUDIT_KEYS.xiamen,
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        genuine: true,
        current: true,
        reportNo: report.reportNo,
        changedSince: [],
      });
      const copy = await ledger.request('POST', `/api/v1/credit-reports/${report.reportNo}/verification`, {
        as: AUDIT_KEYS.xiamen,
        body: report,
      });
      expect(copy.body).toMatchObject({ genuine: true, seal: { valid: true } });
      const forged = await ledger.request('POST', `/api/v1/credit-reports/${report.reportNo}/verification`, {
        as: AUDIT_KEYS.xiamen,
        body: { ...report, standing: { ...report.standing, grade: 'A' } },
      });
      expect(forged.body).toMatchObject({ genuine: false, seal: { valid: false } });
    });
  });

  describe('when a holder checks the report offline with ledger-cli verify-report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'credit-report-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // Asynchronous, so the ledger under test keeps serving (and its keep-alive sockets stay usable) meanwhile.
    const verifyReport = (file: string) =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            require.resolve('ts-node/dist/bin'),
            '--transpile-only',
            '-r',
            'tsconfig-paths/register',
            'apps/ledger-cli/src/main.ts',
            'verify-report',
            file,
            '--keys',
            join(dir, 'keys.json'),
          ],
          { cwd: join(__dirname, '..', '..'), env: { ...process.env }, encoding: 'utf8', timeout: 110_000 },
          (error, stdout) =>
            resolve({ status: error ? ((error.code as number | undefined) ?? null) : 0, stdout }),
        );
      });

    it('passes the genuine report and fails one with one field changed', async () => {
      const keys = await ledger.request('GET', '/.well-known/ledger-keys.json');
      writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys.body));
      writeFileSync(join(dir, 'genuine.json'), JSON.stringify(report));
      const tampered = structuredClone(report);
      tampered.records[0].documentNumber = '思教罚决字〔2026〕第2号';
      writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));

      const genuine = await verifyReport(join(dir, 'genuine.json'));
      expect(genuine.stdout).toMatch(/^GENUINE CR-/m);
      expect(genuine.status).toBe(0);
      const forged = await verifyReport(join(dir, 'tampered.json'));
      expect(forged.stdout).toMatch(
        /^FAILED seal: the report content does not hash to the sealed content hash/m,
      );
      expect(forged.stdout).toMatch(/^NOT GENUINE/m);
      expect(forged.status).toBe(1);
    }, 240_000);
  });

  describe('when the report is asked for as a PDF (Accept: application/pdf)', () => {
    it('answers an A4 PDF whose text carries the school in Chinese and the report number', async () => {
      const response = await fetch(`${ledger.url}/api/v1/subjects/${school}/credit-report?purpose=funding`, {
        headers: { 'x-api-key': AUDIT_KEYS.xiamen, accept: 'application/pdf' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const dir = mkdtempSync(join(tmpdir(), 'credit-report-pdf-'));
      try {
        writeFileSync(join(dir, 'report.pdf'), pdf);
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'report.pdf'), '-'], {
          encoding: 'utf8',
        });
        expect(text).toContain('厦门阳光实验学校');
        expect(text).toMatch(/CR-\d{4}-[0-9A-F]{12}/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('when the input is bad', () => {
    it('refuses a missing or unknown purpose with 400 REPORT.UNKNOWN_PURPOSE naming the field', async () => {
      for (const query of ['', '?purpose=gossip']) {
        const response = await ledger.request('GET', `/api/v1/subjects/${school}/credit-report${query}`, {
          as: AUDIT_KEYS.xiamen,
        });
        expect(response.status).toBe(400);
        expect(response.body.error).toMatchObject({
          code: 'REPORT.UNKNOWN_PURPOSE',
          fields: [expect.objectContaining({ field: 'purpose' })],
        });
      }
    });

    it('answers 404 for an unknown subject and an unknown report number', async () => {
      const unknown = await ledger.request(
        'GET',
        '/api/v1/subjects/0192f000-0000-7000-8000-000000000000/credit-report?purpose=funding',
        { as: AUDIT_KEYS.xiamen },
      );
      expect(unknown.status).toBe(404);
      const noReport = await ledger.request(
        'GET',
        '/api/v1/credit-reports/CR-2026-000000000000/verification',
        {
          as: AUDIT_KEYS.xiamen,
        },
      );
      expect(noReport.status).toBe(404);
      expect(noReport.body.error.code).toBe('REPORT.NOT_FOUND');
    });
  });

  describe('given the record is revoked after the report was issued', () => {
    it('the verification says the report is no longer current and names the record', async () => {
      const revoked = await ledger.request(
        'POST',
        `/api/v1/subjects/${school}/records/${recordId}/revocation`,
        {
          body: { reason: 'Annulled on administrative review' },
        },
      );
      expect(revoked.status).toBe(201);
      const answer = await ledger.request('GET', `/api/v1/credit-reports/${report.reportNo}/verification`, {
        as: AUDIT_KEYS.xiamen,
      });
      expect(answer.body).toMatchObject({
        genuine: true,
        current: false,
        changedSince: [expect.objectContaining({ recordId, change: 'revoked' })],
      });
    });
  });

  describe('given a teacher (002 §6: the report is usable once the teacher confirmed it)', () => {
    const reason = { 'x-access-reason': encodeURIComponent('职称评审信用审查') };
    let teacher: string;
    beforeAll(async () => {
      const registered = await ledger.request('POST', '/api/v1/subjects', {
        body: { kind: 'teacher', name: '王老师', identifier: '350203198506151233', jurisdiction: '350203' },
      });
      expect(registered.status).toBe(201);
      teacher = registered.body.subjectId;
    });
    const pull = (purpose: string) =>
      ledger.request('GET', `/api/v1/subjects/${teacher}/credit-report?purpose=${purpose}`, {
        as: AUDIT_KEYS.xiamen,
        headers: reason,
      });

    it('refuses promotion until confirmed, and marks other reports unconfirmed', async () => {
      const refused = await pull('promotion');
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('REPORT.TEACHER_CONFIRMATION_REQUIRED');
      const other = await pull('licensing');
      expect(other.status).toBe(200);
      expect(other.body.teacherConfirmation).toMatchObject({ status: 'not_requested' });
      expect(other.body.subject.identifier.value).not.toContain('198506151233');
    });

    it('gives the promotion report once the teacher confirmed; a second answer is refused', async () => {
      const requested = await ledger.request('POST', `/api/v1/subjects/${teacher}/report-confirmations`);
      expect(requested.status).toBe(201);
      const confirmationId = requested.body.recordId;
      expect((await pull('promotion')).status).toBe(422);
      const path = `/api/v1/subjects/${teacher}/report-confirmations/${confirmationId}/answer`;
      const confirmed = await ledger.request('POST', path, { body: { answer: 'confirmed' } });
      expect(confirmed.status).toBe(201);
      const report = await pull('promotion');
      expect(report.status).toBe(200);
      expect(report.body.teacherConfirmation).toMatchObject({ status: 'confirmed' });
      const again = await ledger.request('POST', path, { body: { answer: 'confirmed' } });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('REPORT.CONFIRMATION_ALREADY_ANSWERED');
      const bad = await ledger.request('POST', path, { body: { answer: 'maybe' } });
      expect(bad.status).toBe(400);
    });

    it('refuses a confirmation request for a school', async () => {
      const refused = await ledger.request('POST', `/api/v1/subjects/${school}/report-confirmations`);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('REPORT.CONFIRMATION_NOT_FOR_KIND');
    });
  });
});
