// Takeover time of the followers' lease over repeated kill -9 of its holder, under load: 2 API processes
// (LEDGER_WORKERS=off) and 3 workers on PostgreSQL with the broker of KAFKA_BROKERS (the scenario of
// test/operations/failover.e2e.test.ts, which kills 3 times). `npm run bench:failover -- --kills 20`.
// Takeover = from the kill to another worker holding the lease and its read models moving again.
import { runFailover } from '../test/support/failover';
import { machine, numberFlag, report } from './support';

async function main() {
  const kills = numberFlag('kills', 20);
  const result = await runFailover(kills, (line) => console.log(line));
  report(
    `Failover: kill -9 of the lease holder, ${kills} times (2 API + 3 workers, PostgreSQL, Kafka)`,
    {
      takeoverP50Ms: result.p50Ms,
      takeoverMaxMs: result.maxMs,
      takeoversMs: result.takeoversMs.join(' '),
      acknowledged: result.acknowledged,
      acknowledgedStored: result.stored,
      answers: JSON.stringify(result.statuses),
      readModelsMisapplied: result.misapplied.length,
      digests: result.digests,
      digestsDisagreeing: result.forkedDigests,
    },
    machine(),
  );
  if (result.stored !== result.acknowledged || result.misapplied.length > 0 || result.forkedDigests > 0)
    process.exitCode = 1;
}

void main();
