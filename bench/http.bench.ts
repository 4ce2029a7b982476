// Commands over HTTP on PostgreSQL against a bare endpoint of the same framework, and read-model lag at a
// fixed command rate. Server and load generator run as separate processes on this machine.
// Usage: npm run bench:http -- [--seconds 15] [--connections 32] [--rate 1000] [--subjects-per-client 100]
//   [--warmup-seconds 5] [--separate-worker]
// Both servers are warmed up with a run of their own before the measured one.
// Each subject's status document holds its folded records, so the fewer subjects the commands go round, the
// larger the documents every event rewrites: 100 per client (3,200 subjects, ~15 honours each by the end)
// is the default; 25 per client (~45 honours each) is the harder case.
// --compare-metrics: only the cost of the Prometheus metrics: the ledger with LEDGER_METRICS=on (scraped every
//   second, as Prometheus would) and =off, in the order on, off, off, on, --compare-seconds each, fresh schema each.
// --separate-worker: the API runs with LEDGER_WORKERS=off and apps/ledger-worker follows the feed in its own process.
// Sign-in cost: with an identity provider (BENCH_OIDC_ISSUER, else LEDGER_TEST_OIDC_ISSUER: the test province's
// Keycloak), the same commands are sent with the development API key and with a bearer JWT of the national
// admin (one token reused for its life, as clients do: checked by jose once, then found in the verified-token
// cache), in the order key, JWT, JWT, key on fresh subjects each, so neither side gets the smaller documents;
// plus the check alone, in process: jose's (a token's first use) and the cached one.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { loadConfig } from '@ledger/runtime';
import { TokenVerifier } from '../apps/ledger-api/src/auth/token-verifier';
import { passwordToken, person } from '../test/support/keycloak';
import { benchUscc, machine, numberFlag, report } from './support';

const seconds = numberFlag('seconds', 15);
const connections = numberFlag('connections', 32);
const rate = numberFlag('rate', 1000);
const subjectsPerClient = numberFlag('subjects-per-client', 100);
const warmupSeconds = numberFlag('warmup-seconds', 5);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_http_${process.pid}`;
const KEY = 'dev-national-admin';
const issuer = process.env.BENCH_OIDC_ISSUER ?? process.env.LEDGER_TEST_OIDC_ISSUER;
const AUDIENCE = 'credit-ledger';
const compareSeconds = numberFlag('compare-seconds', 10);

const honour = JSON.stringify({
  title: '2026年度市级中小学德育工作先进集体',
  category: 'advanced_collective',
  awardingBody: { name: '厦门市教育局' },
  awardedOn: '2026-09-10',
  description: '在立德树人、家校共育和课后服务工作中成绩突出。',
});

function serve(script: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'http', script), [], {
    execArgv: [
      // As `npm start` runs the ledger (the bare endpoint too, for a like-for-like comparison): a larger
      // young generation means fewer scavenges under load.
      '--max-semi-space-size=64',
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      ...(process.env.BENCH_CPU_PROF && script === 'serve-ledger.ts'
        ? ['--cpu-prof', '--cpu-prof-dir=.bench']
        : []),
    ],
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function registerSubjects(url: string, count: number, first = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = first; i < first + count; i++) {
    const response = await fetch(`${url}/api/v1/subjects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({
        kind: 'training_institution',
        name: `培训机构${i}`,
        identifier: benchUscc(process.pid * 100 + i),
        jurisdiction: '350213',
      }),
    });
    if (response.status !== 201)
      throw new Error(`register failed: ${response.status} ${await response.text()}`);
    ids.push(((await response.json()) as { subjectId: string }).subjectId);
  }
  return ids;
}

/**
 * Requests go round-robin over connections × subjectsPerClient subjects, so the 32 requests in flight are
 * always on distinct subjects, and each subject's stream grows slowly, as a bureau works through its schools
 * (autocannon gives every request a fresh context, so the choice is made from one shared counter).
 */
function load(
  url: string,
  subjects: readonly string[],
  options: Partial<autocannon.Options> = {},
  onBody?: (body: string, at: number) => void,
  credential: Record<string, string> = { 'x-api-key': KEY },
) {
  let sent = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...credential },
        body: honour,
        setupRequest: (request: autocannon.Request) => {
          const subject = subjects[sent++ % subjects.length]!;
          return { ...request, path: `/api/v1/subjects/${subject}/honours` };
        },
        onResponse: (status: number, body: string) => {
          if (onBody && status === 201) onBody(body, performance.now());
        },
      },
    ],
    ...options,
  } as autocannon.Options);
}

const SCRAPE_KEY = 'bench-prometheus';
const BENCH_OFFICIAL = {
  userId: 'bench-official',
  role: 'official',
  department: 'ministry-credit-office',
  jurisdiction: '000000',
};

/** Commands per second with metrics on (scraped every second) and off, in the order on, off, off, on. */
async function compareMetrics(): Promise<void> {
  const runs: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const p99: Record<'on' | 'off', number[]> = { on: [], off: [] };
  let port = 4110;
  for (const side of ['on', 'off', 'off', 'on'] as const) {
    const runSchema = `${schema}_${side}_${port}`;
    const ledger = await serve('serve-ledger.ts', port, {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: runSchema,
      LOG_LEVEL: 'warn',
      LEDGER_METRICS: side,
      // The development key (a national official) for the commands, a monitoring key for the scrapes.
      LEDGER_API_KEYS: JSON.stringify([
        { key: KEY, ...BENCH_OFFICIAL },
        { key: SCRAPE_KEY, ...BENCH_OFFICIAL, userId: 'prometheus', role: 'monitoring' },
      ]),
    });
    const url = `http://127.0.0.1:${port++}`;
    let scraping = side === 'on';
    let scrapeFailure: unknown;
    try {
      const subjects = await registerSubjects(url, connections * 25);
      await load(url, subjects, { duration: warmupSeconds });
      const scraper = (async () => {
        while (scraping) {
          const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_KEY}` } });
          if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
          await response.text();
          await new Promise((r) => setTimeout(r, 1000));
        }
      })().catch((error: unknown) => (scrapeFailure = error));
      const run = await load(url, subjects, { duration: compareSeconds });
      scraping = false;
      await scraper;
      if (scrapeFailure) throw scrapeFailure;
      if (run.non2xx > 0) throw new Error(`metrics ${side}: ${run.non2xx} answers were not 2xx`);
      runs[side].push(run.requests.average);
      p99[side].push(run.latency.p99);
    } finally {
      scraping = false;
      await stop(ledger);
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${runSchema} CASCADE`);
      await client.end();
    }
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  report(
    `metrics on/off, commands over HTTP (PostgreSQL), ${connections} connections, ${compareSeconds} s per run`,
    {
      metricsOnCommandsPerSec: runs.on.map(Math.round).join(' / '),
      metricsOffCommandsPerSec: runs.off.map(Math.round).join(' / '),
      metricsOnP99Ms: p99.on.join(' / '),
      metricsOffP99Ms: p99.off.join(' / '),
      onToOff: (sum(runs.on) / sum(runs.off)).toFixed(3),
      overheadPercent: ((1 - sum(runs.on) / sum(runs.off)) * 100).toFixed(1),
    },
    machine(),
  );
}

async function main() {
  if (process.argv.includes('--compare-metrics')) return compareMetrics();
  const results: Record<string, string | number> = {};

  const bare = await serve('serve-bare.ts', 4101);
  const fakeSubjects = Array.from(
    { length: connections * subjectsPerClient },
    (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  );
  await load('http://127.0.0.1:4101', fakeSubjects); // warm-up
  const bareRun = await load('http://127.0.0.1:4101', fakeSubjects);
  await stop(bare);
  results.bareRequestsPerSec = Math.round(bareRun.requests.average);
  results.bareP99Ms = bareRun.latency.p99;

  const separateWorker = process.argv.includes('--separate-worker');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    LOG_LEVEL: 'warn',
    ...(issuer ? { LEDGER_OIDC_ISSUER: issuer, LEDGER_OIDC_AUDIENCE: AUDIENCE } : {}),
  };
  const ledger = await serve('serve-ledger.ts', 4102, {
    ...env,
    LEDGER_WORKERS: separateWorker ? 'off' : (process.env.LEDGER_WORKERS ?? 'on'),
  });
  const worker = separateWorker ? await serve('serve-worker.ts', 4103, env) : undefined;
  results.deployment = separateWorker ? 'API process + worker process' : 'one process (API and followers)';
  const url = 'http://127.0.0.1:4102';
  try {
    const subjects = await registerSubjects(url, connections * subjectsPerClient);
    // Warm-up, not measured, as the bare endpoint had: on subjects of its own, so the measured run's
    // documents are as large as without it.
    const warmupSubjects = await registerSubjects(url, connections * 10, subjects.length);
    await load(url, warmupSubjects, { duration: warmupSeconds });
    const run = await load(url, subjects);
    results.commandsPerSec = Math.round(run.requests.average);
    results.commandP50Ms = run.latency.p50;
    results.commandP99Ms = run.latency.p99;
    results.non2xx = run.non2xx;
    results.ratioToBare = (run.requests.average / bareRun.requests.average).toFixed(2);

    // Read-model lag at a fixed rate: when did /health first show each command's position applied?
    const answered: Array<{ position: number; at: number }> = [];
    const samples: Array<{ position: number; at: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const health = (await (await fetch(`${url}/health`)).json()) as { readModels: { position: number } };
        samples.push({ position: health.readModels.position, at: performance.now() });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const paced = await load(url, subjects, { overallRate: rate }, (body, at) => {
      const position = (JSON.parse(body) as { position?: number }).position;
      if (position) answered.push({ position, at });
    });
    await new Promise((r) => setTimeout(r, 2000));
    sampling = false;
    await sampler;
    const lags = answered
      .map(({ position, at }) => {
        const seen = samples.find((s) => s.position >= position && s.at >= at - 1000);
        return seen ? Math.max(0, seen.at - at) : Number.POSITIVE_INFINITY;
      })
      .sort((a, b) => a - b);
    results.pacedCommandsPerSec = Math.round(paced.requests.average);
    results.projectionLagP50Ms = Math.round(lags[Math.floor(lags.length * 0.5)] ?? NaN);
    results.projectionLagP99Ms = Math.round(lags[Math.floor(lags.length * 0.99)] ?? NaN);
    results.lagSampleEveryMs = '~10 (+ /health round trip)';

    if (issuer) Object.assign(results, await compareSignIn(url));
    else results.signIn = 'not measured: set BENCH_OIDC_ISSUER or LEDGER_TEST_OIDC_ISSUER';
  } finally {
    if (worker) await stop(worker);
    await stop(ledger);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  report(
    `commands over HTTP (PostgreSQL), ${connections} connections, ${seconds} s per run`,
    results,
    machine(),
  );
}

/**
 * The same commands with the API key and with a bearer JWT, key-JWT-JWT-key on fresh subjects each, and
 * jose's check of one token alone.
 */
async function compareSignIn(url: string): Promise<Record<string, string | number>> {
  const token = async () => (await passwordToken(issuer!, person('national-admin'))).access_token;
  const runs: Record<'key' | 'jwt', number[]> = { key: [], jwt: [] };
  let first = connections * subjectsPerClient + connections * 10;
  for (const side of ['key', 'jwt', 'jwt', 'key'] as const) {
    const subjects = await registerSubjects(url, connections * 25, first);
    first += subjects.length;
    // A fresh token per run: the realm's tokens live 300 s.
    const credential: Record<string, string> =
      side === 'key' ? { 'x-api-key': KEY } : { authorization: `Bearer ${await token()}` };
    const run = await load(url, subjects, { duration: compareSeconds }, undefined, credential);
    if (run.non2xx > 0) throw new Error(`${side} run: ${run.non2xx} answers were not 2xx`);
    runs[side].push(run.requests.average);
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  // The check alone, in this process: jose on every call (what a token costs the first time the ledger sees
  // it), and the ledger's verifier (a token seen before: the verified-token cache).
  const settings = loadConfig({ LEDGER_OIDC_ISSUER: issuer!, LEDGER_OIDC_AUDIENCE: AUDIENCE }).oidc!;
  const jwt = await token();
  const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
  const options = { issuer, audience: AUDIENCE, algorithms: [...settings.algorithms], clockTolerance: 30 };
  await jwtVerify(jwt, jwks, options);
  const rounds = 5_000;
  const timed = async (check: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await check();
    return (((performance.now() - started) * 1000) / rounds).toFixed(1);
  };
  const joseVerifyMicros = await timed(() => jwtVerify(jwt, jwks, options));
  const verifier = new TokenVerifier(settings);
  await verifier.verify(jwt);
  const cachedVerifyMicros = await timed(() => verifier.verify(jwt));

  return {
    signInRunSeconds: compareSeconds,
    apiKeyCommandsPerSec: runs.key.map(Math.round).join(' / '),
    jwtCommandsPerSec: runs.jwt.map(Math.round).join(' / '),
    jwtToApiKey: (sum(runs.jwt) / sum(runs.key)).toFixed(3),
    joseVerifyMicros,
    cachedVerifyMicros,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
