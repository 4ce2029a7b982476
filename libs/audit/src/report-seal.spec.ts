import { DigestSigning } from './digest-signing';
import { checkReportSeal, reportContentHash, sealReport } from './report-proofs';

const report = {
  reportNo: 'CR-20261207-TEST',
  issuedAt: '2026-12-07T08:00:00.000Z',
  subject: { name: '王老师', identifier: { scheme: 'resident_id', value: '350203********1233' } },
  records: [{ recordId: 'penalty-1', documentNumber: '厦教罚〔2025〕3号' }],
  verification: { digest: { upToPosition: 7, root: 'ab'.repeat(32) }, qr: 'CR1|CR-20261207-TEST|7' },
};

describe('report seal', () => {
  const signing = DigestSigning.development();
  const sealed = { ...report, verification: { ...report.verification, seal: sealReport(report, signing) } };

  it('verifies under the published keys, and its hash leaves the seal out', () => {
    expect(checkReportSeal(sealed, signing.keySet())).toEqual({ valid: true, keyId: 'dev-digest' });
    expect(reportContentHash(sealed)).toBe(reportContentHash(report));
  });

  it('fails when any one field is changed', () => {
    const tampered = JSON.parse(JSON.stringify(sealed));
    tampered.records[0].documentNumber = '厦教罚〔2025〕4号';
    expect(checkReportSeal(tampered, signing.keySet())).toMatchObject({ valid: false });
    const digestChanged = JSON.parse(JSON.stringify(sealed));
    digestChanged.verification.digest.upToPosition = 8;
    expect(checkReportSeal(digestChanged, signing.keySet())).toMatchObject({ valid: false });
  });

  it('fails under another key set', () => {
    const other = new DigestSigning([
      {
        kid: 'dev-digest',
        privateKey: Buffer.alloc(32, 7).toString('base64'),
        notBefore: '2000-01-01T00:00:00Z',
      },
    ]);
    expect(checkReportSeal(sealed, other.keySet())).toMatchObject({ valid: false });
  });
});
