// Audit benchmark on PostgreSQL: rebuild every read model from N events vs just reading the global feed
// in the same run; a digest over the whole feed; verification of chains and digest; a subject's status
// as of an instant on a 1,000-event subject (p50/p99); inclusion proofs.
// Usage: npm run bench:audit -- [--events N] [--batch N (plain reads)] [--rounds N] [--keep]
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  auditProjections,
  computeDigest,
  listAsOf,
  openDigestStore,
  proveInclusion,
  subjectStatusAsOf,
  verifyLedger,
} from '@ledger/audit';
import { uuidV7 } from '@ledger/application';
import {
  addDays,
  beijingDateOf,
  chinaWorkingCalendar,
  defaultPolicy,
  evolveSubject,
  initialSubjectState,
  subjectDecider,
  usccCheckCharacter,
  type SubjectCommand,
  type SubjectState,
} from '@ledger/domain';
import { PostgresEventStore, type NewEvent, type StoredEvent } from '@ledger/event-store';
import {
  allProjections,
  GenerationalDocumentStore,
  PostgresDocumentStore,
  rebuildProjections,
  STREAM_PAGE,
  type RebuildReport,
} from '@ledger/projections';
import { machine, peakRss, report } from './support';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const total = Number(arg('events') ?? 1_000_000);
const keep = process.argv.includes('--keep');
/** Rebuilds, each between two plain reads: this shared machine drifts by tens of percent within minutes. */
const rounds = Number(arg('rounds') ?? 3);
/**
 * Events per plain read of the feed (one read ahead). Pages of 1,000 to 20,000 read the feed equally fast,
 * so the size favours neither side; the rebuild reads its own pages (`STREAM_PAGE`).
 */
const batchSize = Number(arg('batch') ?? 3000);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const actor = {
  userId: 'bench',
  role: 'official',
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};
const bureau = { name: '厦门市教育局', uscc: '11350200MB0123456A' };
const now = new Date().toISOString();
const metadata = { now, actor, policy: defaultPolicy, calendar: chinaWorkingCalendar };
/** Most decisions are reported within days; one in twenty long after (迟报), as the reporting ledger expects. */
const yesterday = addDays(beijingDateOf(now), -1);
const decisionDate = (serial: number, cycle: number) =>
  (serial + cycle) % 20 === 0 ? '2025-03-03' : yesterday;

/**
 * One subject's commands, cycle after cycle: honour, penalty, revoke both; each cycle moves lists and grade.
 * Record ids are unique across subjects, as the API makes them (read models key some documents by record).
 */
function* commandsFor(subjectId: string, serial: number): Generator<SubjectCommand> {
  const first17 = `52350203MA${String(serial).padStart(7, '0')}`;
  yield {
    type: 'RegisterSubject',
    data: {
      subjectId,
      kind: 'private_school',
      name: `厦门第${serial}培训学校`,
      identifier: first17 + usccCheckCharacter(first17),
      jurisdiction: '350203',
    },
    metadata,
  };
  for (let cycle = 0; ; cycle++) {
    yield {
      type: 'RecordHonour',
      data: {
        subjectId,
        recordId: `h-${serial}-${cycle}`,
        title: '厦门市文明校园',
        category: 'advanced_collective',
        awardingBody: bureau,
        awardedOn: '2025-02-10',
      },
      metadata,
    };
    yield {
      type: 'RecordPenalty',
      data: {
        subjectId,
        recordId: `p-${serial}-${cycle}`,
        documentNumber: `厦教罚〔2025〕${serial}-${cycle}号`,
        offenceType: 'Operating beyond the approved scope',
        facts: 'Ran discipline tutoring for primary pupils without approval during the summer holidays.',
        legalBasis: 'Private Education Promotion Law Art. 62',
        categories: ['fine'],
        misconduct: 'administrative_violation',
        content: 'Fine of 20,000 yuan and an order to stop the training',
        fineAmountTenThousandYuan: 2,
        decisionDate: decisionDate(serial, cycle),
        authority: bureau,
        severity: 'general',
      },
      metadata,
    };
    yield {
      type: 'RevokeRecord',
      data: { subjectId, recordId: `p-${serial}-${cycle}`, reason: 'Annulled on review' },
      metadata,
    };
    yield {
      type: 'RevokeRecord',
      data: { subjectId, recordId: `h-${serial}-${cycle}`, reason: 'Award withdrawn' },
      metadata,
    };
  }
}

class SubjectWriter {
  private state: SubjectState = initialSubjectState();
  private readonly commands: Generator<SubjectCommand>;
  events = 0;

  constructor(
    readonly subjectId: string,
    serial: number,
  ) {
    this.commands = commandsFor(subjectId, serial);
  }

  /** The events of the next `n` commands, as the command handler would store them. */
  next(n: number): NewEvent[] {
    const out: NewEvent[] = [];
    for (let i = 0; i < n; i++) {
      const decided = subjectDecider.decide(this.commands.next().value as SubjectCommand, this.state);
      for (const event of decided) {
        this.state = evolveSubject(this.state, event);
        out.push({
          id: uuidV7(),
          type: event.type,
          data: event.data,
          metadata: {
            occurredAt: now,
            actor,
            correlationId: uuidV7(),
            policyVersion: defaultPolicy.version,
            schemaVersion: 1,
          },
        });
      }
    }
    this.events += out.length;
    return out;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const ms = (n: number) => Math.round(n * 10) / 10;

/** ~50 events per subject, interleaved in the feed, plus one subject of 1,000 events. */
async function writeEvents(store: PostgresEventStore): Promise<{ subjectId: string; events: number }> {
  const big = new SubjectWriter(randomUUID(), 0);
  const subjects = Array.from(
    { length: Math.max(1, Math.round(total / 50)) },
    (_, i) => new SubjectWriter(randomUUID(), i + 1),
  );
  let written = 0;
  let round = 0;
  while (written < total) {
    const queue = [...subjects];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let writer = queue.pop(); writer && written < total; writer = queue.pop()) {
          const batch = writer.next(round === 0 ? 3 : 4);
          await store.append(`subject-${writer.subjectId}`, batch);
          written += batch.length;
        }
      }),
    );
    // The 1,000-event subject grows alongside the others, so its events spread over the feed.
    if (big.events < 1000) {
      const batch = big.next(80);
      await store.append(`subject-${big.subjectId}`, batch);
      written += batch.length;
    }
    round += 1;
    process.stderr.write(`\rwriting ${written.toLocaleString('en')} events`);
  }
  process.stderr.write('\n');
  return { subjectId: big.subjectId, events: big.events };
}

async function main() {
  const stopRss = peakRss();
  const schema = `bench_audit_${process.pid}`;
  const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 8 });
  const documents = await PostgresDocumentStore.open({ connectionString: databaseUrl, schema });
  const results: Record<string, number | string> = { events: total };
  try {
    // --- Write N events (the writers' folded states are garbage once written: the measurements below run
    // on the heap a ledger process would have, not one holding 20,000 subjects' states).
    const started = performance.now();
    const big = await writeEvents(store);
    results.writeSeconds = Math.round((performance.now() - started) / 1000);
    results.bigSubjectEvents = big.events;
    const head = await store.headPosition();
    const maintenance = new Pool({ connectionString: databaseUrl });
    await maintenance.query(`VACUUM ANALYZE ${schema}.events`).catch(() => undefined);
    await maintenance.end();

    // --- Just reading the feed, with the same batch size and read-ahead as the rebuild, before and after each
    // rebuild; each rebuild is compared with the mean of the reads on either side of it, and the median
    // round is reported (this shared machine drifts within a run).
    const readFeed = async () => {
      const readStarted = performance.now();
      const cpuStarted = cpuSeconds();
      let read = 0;
      let next = store.readAll({ after: 0, limit: batchSize });
      for (;;) {
        const page = await next;
        if (page.length === 0) break;
        next = store.readAll({ after: page[page.length - 1]!.position, limit: batchSize });
        read += page.length;
      }
      return {
        read,
        perSecond: read / ((performance.now() - readStarted) / 1000),
        cpu: cpuSeconds() - cpuStarted,
      };
    };
    // Warm-up, not measured: the first read after writing is the cold one, and each rebuild is compared with
    // the reads beside it.
    await readFeed();
    const first = await readFeed();
    const read = first.read;
    results.feedEvents = read;
    const reads = [first.perSecond];
    const readCpu = [first.cpu];
    const measured: Array<{ rebuild: RebuildReport; ratio: number; cpu: number; cpuRatio: number }> = [];
    for (let round = 0; round < rounds; round++) {
      // --- Rebuild every read model from zero, beside the live ones, and switch.
      const cpuStarted = cpuSeconds();
      const rebuild = await rebuildProjections(store, documents, [...allProjections, ...auditProjections], {
        switchMode: 'now',
        onProgress: (p) =>
          process.stderr.write(
            `\rrebuild ${round + 1}/${rounds}: ${p.position}/${p.head} ${p.eventsPerSecond} ev/s   `,
          ),
      });
      const cpu = cpuSeconds() - cpuStarted;
      const after = await readFeed();
      reads.push(after.perSecond);
      readCpu.push(after.cpu);
      const around = (reads[round]! + reads[round + 1]!) / 2;
      const cpuAround = (readCpu[round]! + readCpu[round + 1]!) / 2;
      measured.push({ rebuild, ratio: rebuild.eventsPerSecond / around, cpu, cpuRatio: cpuAround / cpu });
    }
    process.stderr.write('\n');
    // The lower middle when the count is even: never the kinder of two.
    const median = [...measured].sort((a, b) => a.ratio - b.ratio)[Math.floor((measured.length - 1) / 2)]!;
    const { rebuild } = median;
    results.feedReadPerSec = reads.map((r) => Math.round(r)).join(' ');
    results.rebuildPerSecRounds = measured.map((m) => m.rebuild.eventsPerSecond).join(' ');
    results.rebuildVsReadRounds = measured.map((m) => `${Math.round(m.ratio * 100)}%`).join(' ');
    results.rebuildReadModels = allProjections.length + auditProjections.length;
    results.rebuildDocuments = rebuild.projections.reduce((sum, p) => sum + p.documentsWritten, 0);
    results.rebuildPerSec = rebuild.eventsPerSecond;
    results.rebuildPassSeconds = ms(rebuild.passMs / 1000);
    results.rebuildWriteSeconds = ms((rebuild.durationMs - rebuild.passMs) / 1000);
    results.rebuildVsRead = `${Math.round(median.ratio * 100)}% (median round)`;
    // CPU seconds of this process (all its threads): steadier than wall time on a shared host, and what
    // both are bound by here.
    results.feedReadCpuSeconds = readCpu.map((c) => ms(c)).join(' ');
    results.rebuildCpuSecondsRounds = measured.map((m) => ms(m.cpu)).join(' ');
    results.rebuildVsReadCpuRounds = measured.map((m) => `${Math.round(m.cpuRatio * 100)}%`).join(' ');
    // For context, not the measure: the rebuild's own reads (stream by stream, the events handed over
    // as they arrive) with nothing folded, right after the last plain read.
    const streamReadStarted = performance.now();
    let streamRead = 0;
    for (let last: StoredEvent | undefined; ;) {
      const after = last && { streamId: last.streamId, revision: last.revision };
      let count = 0;
      for await (const arrived of store.readStreams({ upTo: head, after, limit: STREAM_PAGE })) {
        count += arrived.length;
        last = arrived[arrived.length - 1];
      }
      streamRead += count;
      if (count < STREAM_PAGE) break;
    }
    const streamReadPerSec = streamRead / ((performance.now() - streamReadStarted) / 1000);
    results.streamReadPerSec = Math.round(streamReadPerSec);
    results.lastRebuildVsStreamRead = `${Math.round((measured[measured.length - 1]!.rebuild.eventsPerSecond / streamReadPerSec) * 100)}%`;

    // --- A digest over the whole feed, then verification of every chain and the digest.
    const digests = await openDigestStore(store);
    const digestStarted = performance.now();
    const digest = await computeDigest(store, digests);
    results.digestSeconds = ms((performance.now() - digestStarted) / 1000);
    results.digestPerSec = Math.round(read / ((performance.now() - digestStarted) / 1000));
    const verified = await verifyLedger(store, [digest!], {
      chunks: await digests.chunks(0, Number.MAX_SAFE_INTEGER),
    });
    if (!verified.ok) throw new Error(`verification failed: ${JSON.stringify(verified.firstFailure)}`);
    results.verifySeconds = ms(verified.durationMs / 1000);
    results.verifyPerSec = verified.eventsPerSecond;
    results.verifyPer1MProjectedSeconds = ms(1_000_000 / verified.eventsPerSecond);

    // --- Status as of an instant on the 1,000-event subject: record time at random instants, and business time.
    const stream: StoredEvent[] = await store.readStream(`subject-${big.subjectId}`);
    const from = Date.parse(stream[0]!.recordedAt);
    const to = Date.parse(stream[stream.length - 1]!.recordedAt);
    const timings: number[] = [];
    for (let i = 0; i < 200; i++) {
      const asOf = new Date(from + Math.random() * (to - from + 1)).toISOString();
      const t = performance.now();
      const status = await subjectStatusAsOf(store, big.subjectId, {
        asOf,
        by: i % 4 === 3 ? 'business' : 'record',
      });
      timings.push(performance.now() - t);
      if (!status) throw new Error('no status');
    }
    const latest = performance.now();
    await subjectStatusAsOf(store, big.subjectId, { asOf: new Date(to).toISOString(), by: 'record' });
    results.asOfFullStreamMs = ms(performance.now() - latest);
    timings.sort((a, b) => a - b);
    results.asOfP50Ms = ms(percentile(timings, 50));
    results.asOfP99Ms = ms(percentile(timings, 99));

    // --- A list as of an instant (from the history read model built by the rebuild).
    const reader = await GenerationalDocumentStore.open(documents, {
      events: store,
      projections: [...allProjections, ...auditProjections],
    });
    reader.stopRefreshing();
    const listStarted = performance.now();
    const listed = await listAsOf(reader, 'key_supervision', {
      asOf: new Date(to).toISOString(),
      by: 'record',
      limit: 50,
      offset: 0,
    });
    results.listAsOfMs = ms(performance.now() - listStarted);
    results.listAsOfMembers = listed.total;

    // --- Inclusion proofs of random events.
    const proofTimings: number[] = [];
    for (let i = 0; i < 50; i++) {
      const event = stream[Math.floor(Math.random() * stream.length)]!;
      const t = performance.now();
      await proveInclusion(store, digests, event.id);
      proofTimings.push(performance.now() - t);
    }
    proofTimings.sort((a, b) => a - b);
    results.proofP50Ms = ms(percentile(proofTimings, 50));
    results.proofP99Ms = ms(percentile(proofTimings, 99));
    results.headPosition = head;
  } finally {
    await documents.close();
    await store.close();
    if (!keep) {
      const pool = new Pool({ connectionString: databaseUrl });
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    }
  }
  results.peakRssMb = stopRss();
  report(`audit (postgres), ${total} events`, results, machine());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
