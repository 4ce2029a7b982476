// Event store throughput: single appends vs plain INSERTs, batched appends, global feed reads, and for the
// embedded store start time and peak RSS. Usage: npm run bench:store -- [postgres|sqlite] [--events N] [--rounds R]
// Single appends and the INSERT baseline are both warmed up, then alternate for R rounds (default 3, each a
// third of the single appends); each round's ratio is the store against the INSERTs just before it.
// Signing (issue 19): the same single appends through a second store that signs nothing, in a schema (or
// directory) of its own, alternating with the signing one round by round; and the global feed read with and
// without the FeedVerifier every follower runs (hash, chain link, signature), alternating too.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  FeedVerifier,
  PostgresEventStore,
  SqliteEventStore,
  type EventStore,
  type NewEvent,
} from '@ledger/event-store';
import { machine, peakRss, report } from './support';

const kind = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const eventsFlag = process.argv.indexOf('--events');
const total = eventsFlag > 0 ? Number(process.argv[eventsFlag + 1]) : 100_000;
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 3;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// A penalty-sized event: about 600 bytes of JSON.
const event = (i: number): NewEvent => ({
  id: randomUUID(),
  type: 'PenaltyRecorded',
  data: {
    recordId: randomUUID(),
    documentNumber: `京教罚字〔2026〕${i}号`,
    offenceType: 'unlicensed off-campus training',
    facts:
      'Organised subject training for compulsory-education pupils without a licence during the holidays.',
    legalBasis: 'Private Education Promotion Law, Art. 62',
    category: 'fine',
    content: 'Fine and order to stop the training',
    fineAmount: 5.5,
    decisionDate: '2026-03-01',
    authority: { name: 'Haidian District Education Commission', uscc: '11110108000085419C' },
    severity: 'general',
  },
  metadata: {
    occurredAt: '2026-03-01T08:00:00.000Z',
    schemaVersion: 1,
    actor: { userId: 'bench', role: 'official', department: 'policy', jurisdiction: '110108' },
  },
});

async function concurrently(
  workers: number,
  perWorker: number,
  work: (worker: number, i: number) => Promise<unknown>,
) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) await work(w, i);
    }),
  );
  return (workers * perWorker) / ((performance.now() - started) / 1000);
}

/** Plain single-row INSERTs, each its own commit, into a table shaped like the store's: the comparison point. */
async function openBaseline(workers: number) {
  const pool = new Pool({ connectionString: databaseUrl, max: workers });
  const table = `bench_baseline_${process.pid}`;
  await pool.query(`CREATE TABLE ${table} (position bigserial PRIMARY KEY, stream_id text NOT NULL, revision integer NOT NULL,
    id uuid NOT NULL UNIQUE, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL,
    prev_hash text, hash text NOT NULL, UNIQUE (stream_id, revision))`);
  return {
    inserts: (name: string, perWorker: number) =>
      concurrently(workers, perWorker, (w, i) => {
        const e = event(i);
        return pool.query(
          `INSERT INTO ${table} (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
          [
            `base-${name}-${w}`,
            i,
            e.id,
            e.type,
            JSON.stringify(e.data),
            JSON.stringify(e.metadata),
            new Date().toISOString(),
            null,
            'x'.repeat(64),
          ],
        );
      }),
    close: async () => {
      await pool.query(`DROP TABLE ${table}`);
      await pool.end();
    },
  };
}

async function main() {
  const rssAtStartMb = Math.round(process.memoryUsage().rss / 2 ** 20); // node + ts-node, before any store
  const stopRss = peakRss();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const schema = `bench_${process.pid}`;
  const startedOpen = performance.now();
  const store: EventStore =
    kind === 'postgres'
      ? await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 16 })
      : await SqliteEventStore.open({ dataDir });
  const openMs = performance.now() - startedOpen;
  const results: Record<string, number | string> = { store: kind, openMs: Math.round(openMs) };

  const singles = Math.min(20_000, total / 5);
  const perRound = Math.max(1, Math.round(singles / rounds / 16));
  const storeAppends = (name: string, perWorker: number) =>
    concurrently(16, perWorker, (w, i) =>
      store.append(`single-${name}-${w}`, [event(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 }),
    );
  const baseline = kind === 'postgres' ? await openBaseline(16) : undefined;
  try {
    // Warm-up, not measured: every connection opened, both code paths compiled.
    await baseline?.inserts('warm-up', 50);
    await storeAppends('warm-up', 50);
    const inserts: number[] = [];
    const appends: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      if (baseline) inserts.push(await baseline.inserts(`round-${round}`, perRound));
      appends.push(await storeAppends(`round-${round}`, perRound));
    }
    results.singleAppendsPerRound = 16 * perRound;
    results.singleAppendsPerSec = appends.map(Math.round).join(' ');
    if (baseline) {
      const ratios = appends.map((a, i) => a / inserts[i]!);
      results.baselineInsertsPerSec = inserts.map(Math.round).join(' ');
      results.ratioRounds = ratios.map((r) => r.toFixed(2)).join(' ');
      // The lower middle when the count is even: never the kinder of two.
      results.ratio = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]!.toFixed(2);
    }
  } finally {
    await baseline?.close();
  }

  // Signing's cost on appends: the signing store against one that signs nothing, side by side.
  const unsignedDir = mkdtempSync(join(tmpdir(), 'ledger-bench-unsigned-'));
  const unsignedSchema = `bench_unsigned_${process.pid}`;
  const unsigned: EventStore =
    kind === 'postgres'
      ? await PostgresEventStore.open({
          connectionString: databaseUrl,
          schema: unsignedSchema,
          poolSize: 16,
          signing: null,
        })
      : await SqliteEventStore.open({ dataDir: unsignedDir, signing: null });
  try {
    const unsignedAppends = (name: string, perWorker: number) =>
      concurrently(16, perWorker, (w, i) =>
        unsigned.append(`unsigned-${name}-${w}`, [event(i)], {
          expectedRevision: i === 0 ? 'no_stream' : i - 1,
        }),
      );
    await unsignedAppends('warm-up', 50);
    const signedRates: number[] = [];
    const unsignedRates: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Alternate which goes first, so neither always meets a warmer database.
      if (round % 2 === 1) {
        signedRates.push(await storeAppends(`signed-${round}`, perRound));
        unsignedRates.push(await unsignedAppends(`round-${round}`, perRound));
      } else {
        unsignedRates.push(await unsignedAppends(`round-${round}`, perRound));
        signedRates.push(await storeAppends(`signed-${round}`, perRound));
      }
    }
    const costs = signedRates.map((rate, i) => 1 - rate / unsignedRates[i]!);
    results.signedAppendsPerSec = signedRates.map(Math.round).join(' ');
    results.unsignedAppendsPerSec = unsignedRates.map(Math.round).join(' ');
    results.signingCostRounds = costs.map((c) => `${(c * 100).toFixed(1)}%`).join(' ');
    results.signingCost = `${([...costs].sort((a, b) => a - b)[Math.floor(costs.length / 2)]! * 100).toFixed(1)}%`;
  } finally {
    await unsigned.close();
    rmSync(unsignedDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const pool = new Pool({ connectionString: databaseUrl });
      await pool.query(`DROP SCHEMA ${unsignedSchema} CASCADE`);
      await pool.end();
    }
  }

  const batches = Math.max(4, Math.round((total - singles) / 100));
  results.batchedEventsPerSec = Math.round(
    100 *
      (await concurrently(4, batches / 4, (w, i) =>
        store.append(
          `batch-${w}-${i % 50}`,
          Array.from({ length: 100 }, (_, k) => event(k)),
        ),
      )),
  );

  // The global feed read as a follower reads it, without and with the FeedVerifier, alternating.
  const readFeed = async (...verifiers: FeedVerifier[]) => {
    const startedRead = performance.now();
    let after = 0;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after, limit: 5000 });
      if (page.length === 0) break;
      for (const verifier of verifiers) {
        const { violation } = await verifier.verify(page);
        if (violation) throw new Error(`the bench feed failed verification: ${violation.message}`);
      }
      read += page.length;
      after = page[page.length - 1]!.position;
    }
    return { read, perSec: read / ((performance.now() - startedRead) / 1000) };
  };
  const plainReads: number[] = [];
  const verifiedReads: number[] = [];
  const fiveFollowerReads: number[] = [];
  let read = 0;
  for (let round = 1; round <= rounds; round++) {
    const plain = await readFeed();
    read = plain.read;
    plainReads.push(plain.perSec);
    verifiedReads.push((await readFeed(new FeedVerifier(store))).perSec);
    // Five followers of one process verifying the same (shared) events, as FeedTail hands them out.
    fiveFollowerReads.push(
      (await readFeed(...Array.from({ length: 5 }, () => new FeedVerifier(store)))).perSec,
    );
  }
  const verifyCosts = verifiedReads.map((v, i) => 1 - v / plainReads[i]!);
  results.feedEvents = read;
  results.feedReadPerSec = plainReads.map(Math.round).join(' ');
  results.verifiedFeedReadPerSec = verifiedReads.map(Math.round).join(' ');
  results.fiveFollowersVerifiedReadPerSec = fiveFollowerReads.map(Math.round).join(' ');
  results.verifyCostRounds = verifyCosts.map((c) => `${(c * 100).toFixed(1)}%`).join(' ');
  results.verifyCost = `${([...verifyCosts].sort((a, b) => a - b)[Math.floor(verifyCosts.length / 2)]! * 100).toFixed(1)}%`;
  await store.close();

  if (kind === 'sqlite') {
    const reopened = performance.now();
    const again = await SqliteEventStore.open({ dataDir });
    results.reopenMs = Math.round(performance.now() - reopened);
    results.eventsAfterReopen = await again.headPosition();
    await again.close();
  } else {
    const pool = new Pool({ connectionString: databaseUrl });
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
  results.peakRssMb = stopRss();
  results.rssBeforeStoreMb = rssAtStartMb;
  report(`event store (${kind}), ${total} events`, results, machine());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
