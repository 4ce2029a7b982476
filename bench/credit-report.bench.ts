// GET /api/v1/subjects/{id}/credit-report (JSON) for a school with 100 records, HTTP request to response on
// PostgreSQL: fold, cut at the signed digest, one proof per event, seal, the CreditReportIssued append.
// Target p99 ≤ 100 ms (issue 20). Run under `flock /tmp/bench.lock npm run bench:report -- [--records 100] [--runs 100]`.
import { addDays, beijingDateOf } from '@ledger/domain';
import { KEYS, startLedger } from '../test/support/ledger-app';
import { machine, numberFlag, report } from './support';

const records = numberFlag('records', 100);
const runs = numberFlag('runs', 100);

async function main(): Promise<void> {
  const ledger = await startLedger('postgres', { digestEveryEvents: 50, digestEverySeconds: 0.5 });
  try {
    const registered = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'private_school',
      name: '厦门基准实验学校',
      identifier: '91350200776049653A',
      jurisdiction: '350203',
    });
    const school = (registered.body as { subjectId: string }).subjectId;
    const decided = addDays(beijingDateOf(new Date().toISOString()), -1);
    for (let n = 1; n <= records; n++) {
      const penalty = await ledger.request('POST', `/api/v1/subjects/${school}/penalties`, {
        documentNumber: `思教罚决字〔2026〕第${n}号`,
        offenceType: '未按规定公示收费项目',
        facts: '未在显著位置公示收费项目和标准',
        legalBasis: '《民办教育促进法实施条例》第六十二条',
        categories: ['warning'],
        content: '警告',
        decisionDate: decided,
        authority: { name: '厦门市思明区教育局', uscc: '113502030041255231' },
        severity: 'minor',
      });
      if (penalty.status !== 201)
        throw new Error(`penalty ${n}: ${penalty.status} ${JSON.stringify(penalty.body)}`);
    }
    const path = `/api/v1/subjects/${school}/credit-report?purpose=funding`;
    const first = await ledger.request('GET', path, undefined, {}, KEYS.xiamen);
    const body = first.body as { records: unknown[]; verification: { proofs: unknown[] } };
    if (first.status !== 200) throw new Error(`report: ${first.status} ${JSON.stringify(first.body)}`);
    for (let i = 0; i < 10; i++) await ledger.request('GET', path, undefined, {}, KEYS.xiamen);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const answer = await ledger.request('GET', path, undefined, {}, KEYS.xiamen);
      times.push(performance.now() - started);
      if (answer.status !== 200) throw new Error(`report: ${answer.status}`);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!.toFixed(1);
    report(
      `credit report JSON over HTTP (PostgreSQL), ${body.records.length} records, ${body.verification.proofs.length} proofs, ${runs} runs`,
      { p50: `${at(0.5)} ms`, p99: `${at(0.99)} ms`, max: `${at(1)} ms`, 'target p99': '≤ 100 ms' },
      machine(),
    );
  } finally {
    await ledger.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
