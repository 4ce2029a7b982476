// The credit report's PDF for a subject with 100 records: render time over repeated runs (target p99 ≤ 500 ms,
// issue 20). Run under `flock /tmp/bench.lock npm run bench:report-pdf`.
import { renderCreditReportPdf } from '@ledger/reporting';
import { creditReportFixture } from '../libs/reporting/src/testing/credit-report-fixture';

const RECORDS = Number(process.env.RECORDS ?? 100);
const RUNS = Number(process.env.RUNS ?? 100);

async function main(): Promise<void> {
  const report = creditReportFixture(RECORDS);
  await renderCreditReportPdf(report); // the first render parses the two 10 MB fonts
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    bytes = (await renderCreditReportPdf(report)).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!.toFixed(1);
  console.log(
    `credit report PDF, ${RECORDS} records, ${RUNS} runs: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms, ${bytes} bytes`,
  );
}

void main();
