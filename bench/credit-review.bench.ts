// POST /api/v1/credit-reviews/batch end to end on PostgreSQL: N subjects (default 10,000: training
// institutions and teachers, one teacher in ten black-listed) written through the domain decider, read
// models caught up, then batch reviews of all N (half named by id, half by identifier), HTTP request to
// response. Also the cost of the ways a batch could be logged. Run under `flock /tmp/bench.lock`.
// Usage: npm run bench:review -- [--subjects 10000] [--runs 10]
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { subjectIdFor, uuidV7 } from '@ledger/application';
import {
  chinaWorkingCalendar,
  defaultPolicy,
  residentIdCheckCharacter,
  subjectDecider,
  toAccessStreamId,
  toSubjectStreamId,
  type SubjectCommand,
  type SubjectState,
} from '@ledger/domain';
import { PostgresEventStore, type NewEvent } from '@ledger/event-store';
import { DEVELOPMENT_ID_SECRET } from '@ledger/runtime';
import { benchUscc, machine, numberFlag, report } from './support';

const subjectCount = numberFlag('subjects', 10_000);
const runs = numberFlag('runs', 10);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_review_${process.pid}`;
const port = 4107;

const actor = { userId: 'loader', role: 'official', department: 'bench', jurisdiction: '000000' };
const metadata = {
  now: '2026-11-20T10:00:00.000+08:00',
  actor,
  policy: defaultPolicy,
  calendar: chinaWorkingCalendar,
};
const bureau = { name: '厦门市集美区教育局', uscc: '113502030041255231' };

/** A valid resident ID number for bench teacher n (Jimei district, born 1970-1999). */
function benchResidentId(n: number): string {
  const k = Math.floor(n / 1000);
  const year = 1970 + (Math.floor(k / 336) % 30);
  const month = (Math.floor(k / 28) % 12) + 1;
  const day = (k % 28) + 1;
  const first17 = `350211${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

interface Subject {
  readonly subjectId: string;
  readonly scheme: 'uscc' | 'resident_id';
  readonly identifier: string;
  readonly events: NewEvent[];
}

/** Even n: an institution with an honour; odd n: a teacher, every fifth one black-listed. */
function history(n: number): Subject {
  const teacher = n % 2 === 1;
  const identifier = teacher ? benchResidentId(n) : benchUscc(n);
  const subjectId = subjectIdFor(identifier, DEVELOPMENT_ID_SECRET);
  const commands: SubjectCommand[] = [
    {
      type: 'RegisterSubject',
      data: {
        subjectId,
        kind: teacher ? 'teacher' : 'training_institution',
        name: teacher ? `教师${n}` : `培训机构${n}`,
        identifier,
        jurisdiction: '350211',
      },
      metadata,
    },
    teacher && n % 10 === 1
      ? {
          type: 'RecordPenalty',
          data: {
            subjectId,
            recordId: uuidV7(),
            documentNumber: `集教罚〔2026〕${n}号`,
            offenceType: '违反教师职业道德',
            facts: '经查，当事人存在严重违反师德的行为。',
            legalBasis: '《中小学教师违反职业道德行为处理办法》第四条',
            categories: ['teacher_qualification_revoked'],
            misconduct: 'teacher_ethics_violation',
            content: '撤销教师资格。',
            decisionDate: '2026-11-18',
            authority: bureau,
            severity: 'serious',
          },
          metadata,
        }
      : {
          type: 'RecordHonour',
          data: {
            subjectId,
            recordId: uuidV7(),
            title: '文明单位',
            category: 'commendation',
            awardingBody: bureau,
            awardedOn: '2026-09-10',
          },
          metadata,
        },
  ];
  let state: SubjectState = subjectDecider.initialState();
  const events: NewEvent[] = [];
  for (const command of commands) {
    for (const event of subjectDecider.decide(command, state)) {
      state = subjectDecider.evolve(state, event);
      events.push({
        id: uuidV7(),
        type: event.type,
        data: event.data,
        metadata: { occurredAt: metadata.now, actor, policyVersion: defaultPolicy.version, schemaVersion: 1 },
      });
    }
  }
  return { subjectId, scheme: teacher ? 'resident_id' : 'uscc', identifier, events };
}

function serve(): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'http', 'serve-ledger.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`ledger exited with ${code}`)));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => Math.round(value);

/** The ways a batch's access log could be written, each timed once on the same store. */
async function loggingCosts(store: PostgresEventStore, subjects: readonly Subject[]) {
  const viewer = { userId: 'bench', role: 'official', department: 'bench', jurisdiction: '000000' };
  const entry = (subjectId: string) => ({
    id: uuidV7(),
    type: 'PersonalRecordViewed',
    data: {
      subjectId,
      viewer,
      reason: 'bench',
      purpose: 'award',
      resource: 'credit-review',
      at: metadata.now,
    },
    metadata: { occurredAt: metadata.now, actor: viewer, schemaVersion: 1 },
  });
  const costs: Record<string, number> = {};
  let started = performance.now();
  const parts = [];
  for (let i = 0; i < subjects.length; i += 2000)
    parts.push({
      id: uuidV7(),
      type: 'CreditReviewBatchLogged',
      data: {
        subjects: subjects.slice(i, i + 2000).map((s) => ({ subjectId: s.subjectId, outcome: 'clear' })),
      },
      metadata: { occurredAt: metadata.now, actor: viewer, schemaVersion: 1 },
    });
  await store.append('bench-log-parts', parts);
  costs.logPartsOneAppendMs = ms(performance.now() - started);
  started = performance.now();
  await store.append(
    'bench-log-per-subject',
    subjects.map((s) => entry(s.subjectId)),
  );
  costs.logPerSubjectOneAppendMs = ms(performance.now() - started);
  started = performance.now();
  for (let i = 0; i < subjects.length; i += 8)
    await Promise.all(
      subjects.slice(i, i + 8).map((s) => store.append(toAccessStreamId(s.subjectId), [entry(s.subjectId)])),
    );
  costs.logPerSubjectStreamMs = ms(performance.now() - started);
  return costs;
}

async function main() {
  const results: Record<string, string | number> = { subjects: subjectCount, runs };
  const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 8 });
  const subjects: Subject[] = [];
  const loadStarted = performance.now();
  for (let n = 0; n < subjectCount; n += 8) {
    const chunk = Array.from({ length: Math.min(8, subjectCount - n) }, (_, k) => history(n + k));
    subjects.push(...chunk);
    await Promise.all(
      chunk.map((s) =>
        store.append(toSubjectStreamId(s.subjectId), s.events, { expectedRevision: 'no_stream' }),
      ),
    );
  }
  results.events = await store.headPosition();
  results.loadSeconds = Math.round((performance.now() - loadStarted) / 1000);

  const ledger = await serve();
  const url = `http://127.0.0.1:${port}`;
  try {
    // At rest: every follower (read models, cases opened for black-listed teachers) caught up.
    const sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    for (;;) {
      const { rows } = await sql.query<{ head: number; behind: number }>(
        `SELECT (SELECT max(position) FROM ${schema}.events)::int AS head,
                (SELECT min(position) FROM ${schema}.read_checkpoints)::int AS behind`,
      );
      process.stderr.write(`\rfollowers at ${rows[0]!.behind}/${rows[0]!.head}   `);
      if (rows[0]!.behind >= rows[0]!.head) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await sql.end();
    process.stderr.write('\n');
    const body = JSON.stringify({
      purpose: 'award',
      requestingOrganisation: bureau,
      reason: '2026年度评优评先',
      subjects: subjects.map((s, i) =>
        i % 2 === 0 ? { subjectId: s.subjectId } : { identifier: { scheme: s.scheme, value: s.identifier } },
      ),
    });
    results.requestBytes = Buffer.byteLength(body);
    const timings: number[] = [];
    const phases: Record<string, number[]> = {};
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/credit-reviews/batch`, {
        method: 'POST',
        headers: { 'x-api-key': 'dev-national-admin', 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { counts: Record<string, number> };
      const elapsed = performance.now() - started;
      if (response.status !== 200)
        throw new Error(`batch answered ${response.status}: ${JSON.stringify(answer)}`);
      if (run === 0) {
        results.counts = JSON.stringify(answer.counts);
        continue; // warm-up
      }
      timings.push(elapsed);
      for (const part of (response.headers.get('server-timing') ?? '').split(',')) {
        const [phase, duration] = part.trim().split(';dur=');
        if (phase && duration) (phases[phase] ??= []).push(Number(duration));
      }
    }
    results.batchMedianMs = ms(median(timings));
    results.batchMinMs = ms(Math.min(...timings));
    results.batchMaxMs = ms(Math.max(...timings));
    results.serverPhasesMedianMs = Object.entries(phases)
      .map(([phase, values]) => `${phase} ${ms(median(values))}`)
      .join(', ');
    results.withinTwoSeconds = Math.max(...timings) <= 2000 ? 'yes (every run)' : 'NO';
    Object.assign(results, await loggingCosts(store, subjects));
  } finally {
    await store.close();
    ledger.kill('SIGTERM');
    await new Promise((resolve) => ledger.once('exit', resolve));
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  report('POST /api/v1/credit-reviews/batch, end to end (PostgreSQL)', results, machine());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
