// The followers' lease under kill -9: 2 API processes and 3 workers on PostgreSQL with the real broker;
// the holder is killed LEDGER_FAILOVER_KILLS times (3 here, 20 in `npm run bench:failover`) under load.
// Another worker takes over within 10 s from the last checkpoint; nothing acknowledged is lost, no honour
// is applied twice to a read model, the digests agree with the events.
import { runFailover } from '../support/failover';

const KILLS = Number(process.env.LEDGER_FAILOVER_KILLS ?? 3);
jest.setTimeout(180_000 + KILLS * 60_000);

describe('kill -9 of the lease holder under load', () => {
  it(`hands the followers over within 10 s, ${KILLS} times, applying everything once`, async () => {
    const result = await runFailover(KILLS, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`takeover p50 ${result.p50Ms} ms, max ${result.maxMs} ms\n`);
    expect(result.takeoversMs).toHaveLength(KILLS);
    expect(result.maxMs).toBeLessThanOrEqual(10_000);
    expect(result.stored).toBe(result.acknowledged);
    expect(result.acknowledged).toBeGreaterThan(100);
    expect(result.subjectsChecked).toBe(24);
    expect(result.misapplied).toEqual([]);
    expect(result.digests).toBeGreaterThan(0);
    expect(result.forkedDigests).toBe(0);
  });
});
