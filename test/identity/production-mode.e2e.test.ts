// Production mode, on the real process (`apps/ledger-api/src/main.ts`, as `npm start` runs it): with
// NODE_ENV=production and the development defaults it does not start and names each of them; with its own
// secrets it serves and the development key is refused; outside production, nothing set still serves with the
// development key.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(90_000);

const root = join(__dirname, '..', '..');

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a fresh deployment: none of the ledger's variables from this test's own. */
function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(LEDGER_|DATABASE_|KAFKA_|NODE_ENV$|PORT$|HOST$)/.test(name),
    ),
  );
  return { ...env, ...extra };
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts the API process; resolves when it exits or, with `whileListening`, once that has run against it. */
function runLedger(
  env: Record<string, string>,
  whileListening?: (url: string) => Promise<void>,
): Promise<Outcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-production-'));
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(root, 'apps', 'ledger-api', 'src', 'main.ts'),
    ],
    {
      cwd: root,
      env: cleanEnvironment({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let checked: Promise<void> | undefined;
  let failure: unknown;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (whileListening && !checked && stdout.includes('ledger listening')) {
      checked = whileListening(`http://127.0.0.1:${env.PORT}`)
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => child.kill('SIGTERM'));
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) =>
    child.once('exit', async (code) => {
      clearTimeout(timer);
      await checked;
      rmSync(dataDir, { recursive: true, force: true });
      if (failure) reject(failure);
      else resolve({ code, stdout, stderr });
    }),
  );
}

const get = (url: string, key?: string) =>
  fetch(`${url}/api/v1/calendar/years`, { headers: key ? { 'x-api-key': key } : {} }).then((r) => r.status);

/** Issue 19: production also needs the keys events and digests are signed with. */
const signingKeys = () => ({
  LEDGER_SIGNING_KEYS: JSON.stringify({ 'events-1': randomBytes(32).toString('base64') }),
  LEDGER_DIGEST_SIGNING_KEYS: JSON.stringify([
    { kid: 'digests-1', privateKey: randomBytes(32).toString('base64'), notBefore: '2026-01-01T00:00:00Z' },
  ]),
});

describe('production mode (NODE_ENV=production)', () => {
  it('refuses to start with the development key and the development ID secret, naming each', async () => {
    const { code, stderr, stdout } = await runLedger({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(stdout).not.toContain('ledger listening');
    expect(stderr).toContain('The configuration is not valid (4 problems)');
    expect(stderr).toContain('LEDGER_ID_SECRET is not set: production refuses its development default');
    expect(stderr).toContain(
      'LEDGER_API_KEYS is not set: production never accepts the development key "dev-national-admin"',
    );
    expect(stderr).toContain('LEDGER_SIGNING_KEYS must be set in production');
    expect(stderr).toContain('LEDGER_DIGEST_SIGNING_KEYS must be set in production');
  });

  it('refuses the development values set explicitly and a short static key, without printing the key', async () => {
    const shortKey = 'province-key-7';
    const { code, stderr } = await runLedger({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      ...signingKeys(),
      LEDGER_ID_SECRET: 'development-only-id-secret',
      LEDGER_API_KEYS: JSON.stringify([
        { key: 'dev-national-admin', userId: 'a', role: 'admin', department: 'd', jurisdiction: '000000' },
        { key: shortKey, userId: 'b', role: 'official', department: 'd', jurisdiction: '350200' },
      ]),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('(4 problems)');
    expect(stderr).toContain('LEDGER_ID_SECRET is the development value');
    expect(stderr).toContain('LEDGER_API_KEYS[0] is the development key');
    expect(stderr).toContain('LEDGER_API_KEYS[1].key must be at least 32 characters');
    expect(stderr).not.toContain(shortKey);
  });

  it('serves with its own secrets, and the development key gets 401', async () => {
    const key = randomBytes(32).toString('base64url');
    const port = String(await freePort());
    const seen: Record<string, number> = {};
    const { code } = await runLedger(
      {
        NODE_ENV: 'production',
        PORT: port,
        ...signingKeys(),
        LEDGER_ID_SECRET: randomBytes(32).toString('hex'),
        LEDGER_API_KEYS: JSON.stringify([
          { key, userId: 'ops', role: 'admin', department: 'd', jurisdiction: '000000' },
        ]),
      },
      async (url) => {
        seen.health = (await fetch(`${url}/health`)).status;
        seen.ownKey = await get(url, key);
        seen.developmentKey = await get(url, 'dev-national-admin');
      },
    );
    expect(seen).toEqual({ health: 200, ownKey: 200, developmentKey: 401 });
    expect(code).not.toBe(1);
  });
});

describe('outside production', () => {
  it('nothing set still serves, with the development key (npm start)', async () => {
    const seen: Record<string, number> = {};
    await runLedger({ PORT: String(await freePort()) }, async (url) => {
      seen.developmentKey = await get(url, 'dev-national-admin');
    });
    expect(seen).toEqual({ developmentKey: 200 });
  });
});
