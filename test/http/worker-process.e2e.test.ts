// apps/ledger-worker as an orchestrator runs it: its own process, the feed followers and /health only.
// It applies what an API process with LEDGER_WORKERS=off writes, answers /health like the API, and on
// SIGTERM stops the followers and closes the stores before it exits.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startLedger, type RunningLedger } from '../support/ledger-app';

jest.setTimeout(120_000);

describe('the worker process (sqlite)', () => {
  let api: RunningLedger;
  let worker: ChildProcess;
  let output = '';
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = await startLedger('sqlite', { runWorkers: false });
    worker = fork(join(__dirname, '..', '..', 'apps', 'ledger-worker', 'src', 'main.ts'), [], {
      cwd: join(__dirname, '..', '..'),
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, LEDGER_DATA_DIR: api.config.dataDir, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`the worker exited with ${code}: ${output}`)));
    });
  });
  afterAll(async () => {
    if (worker?.exitCode === null) worker.kill('SIGKILL');
    await api?.stop();
  });

  it('follows what the API writes, says so on /health, and stops cleanly on SIGTERM', async () => {
    const created = await api.request('POST', '/api/v1/subjects', {
      kind: 'school',
      name: '哈尔滨某学校',
      identifier: '11230500001755309F',
      jurisdiction: '230500',
    });
    expect(created.status).toBe(201);
    const read = await api.request(
      'GET',
      `/api/v1/subjects/${created.body.subjectId}?minPosition=${created.body.position}`,
    );
    expect(read.status).toBe(200);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite', reachable: true, headPosition: expect.any(Number) },
      readModels: { position: expect.any(Number), positionsBehind: expect.any(Number) },
    });
    expect((await fetch(`${url}/api/v1/subjects`)).status).toBe(404); // no HTTP API here

    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"workers stopped, stores closed"');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
