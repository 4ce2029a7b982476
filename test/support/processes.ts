// Real ledger processes for operations tests: `npm start` (apps/ledger-api) and `npm run start:worker`
// (apps/ledger-worker) as children, each with its own environment, output kept for the failure message;
// and a command load that remembers every acknowledged command, to check afterwards that none was lost.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomUscc } from './identifiers';

const ROOT = join(__dirname, '..', '..');
export const DEV_KEY = 'dev-national-admin';

export interface LedgerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once it exited. */
  readonly exited: Promise<number | string>;
  /** GET /health as JSON (with its status), or undefined when it does not answer. */
  health(): Promise<{ status: number; body: any } | undefined>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export async function spawnLedger(
  kind: 'api' | 'worker',
  name: string,
  env: Record<string, string>,
): Promise<LedgerProcess> {
  const port = await freePort();
  const main = kind === 'api' ? 'apps/ledger-api/src/main.ts' : 'apps/ledger-worker/src/main.ts';
  const child = fork(join(ROOT, main), [], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = `http://127.0.0.1:${port}`;
  const running: LedgerProcess = {
    name,
    child,
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async health() {
      try {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        return { status: response.status, body: await response.json() };
      } catch {
        return undefined;
      }
    },
  };
  const deadline = Date.now() + 90_000;
  let gone: number | string | undefined;
  void exited.then((code) => (gone = code));
  for (;;) {
    if (gone !== undefined) throw new Error(`${name} exited with ${gone} before answering: ${output}`);
    if ((await running.health())?.status === 200) return running;
    if (Date.now() > deadline) throw new Error(`${name} did not answer /health in 90 s: ${output}`);
    await sleep(200);
  }
}

export async function stopAll(processes: readonly LedgerProcess[]): Promise<void> {
  await Promise.all(
    processes.map(async (p) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      p.child.kill('SIGCONT');
      p.child.kill('SIGKILL');
      await p.exited;
    }),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': DEV_KEY, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export async function registerSubject(url: string): Promise<string> {
  for (;;) {
    const created = await post(url, '/api/v1/subjects', {
      kind: 'training_institution',
      name: '厦门某培训机构',
      identifier: randomUscc(),
      jurisdiction: '350213',
    });
    if (created.status === 201) return created.body.subjectId as string;
    if (created.status !== 409)
      throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  }
}

const HONOUR = {
  title: '2026年度市级中小学德育工作先进集体',
  category: 'advanced_collective',
  awardingBody: { name: '厦门市教育局' },
  awardedOn: '2026-09-10',
};

export interface LoadResult {
  /** Event ids the ledger answered 201 for. */
  readonly acknowledged: string[];
  /** Answers by status (and `network` for no answer), e.g. { 201: 930, 503: 12 }. */
  readonly statuses: Record<string, number>;
  /** The 503 answers seen: their code and Retry-After. */
  readonly unavailable: Array<{ code: string; retryAfter: string | null }>;
  /** Other failures (5xx other than 503), for the failure message. */
  readonly failures: string[];
}

/**
 * Honours on `subjects`, `concurrency` at a time, round-robin over the API `urls`, until `stop()` is called.
 * Each command carries an Idempotency-Key, and a command without an answer is not retried (not counted as
 * acknowledged either).
 */
export function commandLoad(
  urls: () => readonly string[],
  subjects: readonly string[],
  concurrency = 8,
): { stop(): Promise<LoadResult>; readonly result: LoadResult } {
  const result: LoadResult = { acknowledged: [], statuses: {}, unavailable: [], failures: [] };
  let running = true;
  let sent = 0;
  const count = (key: string) => (result.statuses[key] = (result.statuses[key] ?? 0) + 1);
  const lane = async () => {
    while (running) {
      const n = sent++;
      const targets = urls();
      const url = targets[n % targets.length]!;
      const subject = subjects[n % subjects.length]!;
      try {
        const answer = await post(url, `/api/v1/subjects/${subject}/honours`, {
          ...HONOUR,
          description: `第${n}号`,
        });
        count(String(answer.status));
        if (answer.status === 201) result.acknowledged.push(...(answer.body.eventIds as string[]));
        else if (answer.status === 503) {
          result.unavailable.push({
            code: answer.body?.error?.code,
            retryAfter: answer.headers.get('retry-after'),
          });
          await sleep(100);
        } else if (answer.status >= 500 || result.failures.length < 20) {
          result.failures.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        }
      } catch {
        count('network');
        await sleep(100);
      }
    }
  };
  const lanes = Array.from({ length: concurrency }, lane);
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(lanes);
      return result;
    },
  };
}
