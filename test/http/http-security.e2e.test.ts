// Security headers, caching of personal data, CORS, TLS with HSTS, timeouts and the connection cap.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, startLedger, type RunningLedger } from '../support/ledger-app';

jest.setTimeout(90_000);

const directives = (csp: string | null) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );

describe('security headers and caching', () => {
  let ledger: RunningLedger;
  let subjectId: string;
  beforeAll(async () => {
    ledger = await startLedger('sqlite');
    subjectId = await ledger.register('teacher', '张老师', '11010519491231002X', '350203');
  });
  afterAll(() => ledger?.stop());

  it('sends nosniff, a strict CSP and no HSTS over plain HTTP, on answers and refusals alike', async () => {
    for (const [path, key] of [
      ['/api/v1/lists/red', KEYS.national],
      ['/api/v1/lists/red', 'wrong'],
      ['/api/v1/nowhere', KEYS.national],
      ['/health', KEYS.national],
    ] as const) {
      const response = await ledger.request('GET', path, undefined, {}, key);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = directives(response.headers.get('content-security-policy'));
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('marks personal data and every other API answer no-store; public disclosures may be cached', async () => {
    const reason = { 'x-access-reason': 'checking a complaint' };
    for (const path of [
      `/api/v1/subjects/${subjectId}`,
      `/api/v1/subjects/${subjectId}/events`,
      `/api/v1/audit/events`,
      `/api/v1/audit/access-log?subjectId=${subjectId}`,
      `/api/v1/cases/0193a1f2-7c4e-7b1a-9f00-2b1c3d4e5f60`,
      `/api/v1/lists/black`,
      `/api/v1/disclosures/penalties?page=0`, // a refusal is not cached, even here
    ]) {
      const response = await ledger.request('GET', path, undefined, reason);
      expect([path, response.headers.get('cache-control')]).toEqual([path, 'no-store']);
    }
    const disclosures = await ledger.request('GET', '/api/v1/disclosures/penalties', undefined, {}, '');
    expect(disclosures.status).toBe(200);
    expect(disclosures.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const preflight = await fetch(`${ledger.url}/api/v1/lists/red`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await ledger.request('GET', '/api/v1/lists/red', undefined, {
      origin: 'https://evil.example',
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS by an allow-list', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger('sqlite', { corsOrigins: ['https://portal.edu.example'], runWorkers: false });
  });
  afterAll(() => ledger?.stop());

  const preflight = (origin: string) =>
    fetch(`${ledger.url}/api/v1/subjects`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key, content-type, idempotency-key',
      },
    });

  it('allows a listed origin, with the headers the API reads and shows', async () => {
    const response = await preflight('https://portal.edu.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://portal.edu.example');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const read = await ledger.request('GET', '/api/v1/lists/red', undefined, {
      origin: 'https://portal.edu.example',
    });
    expect(read.headers.get('access-control-allow-origin')).toBe('https://portal.edu.example');
    expect(read.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
  });

  it('gives any other origin nothing', async () => {
    for (const origin of ['https://evil.example', 'https://portal.edu.example.evil.example', 'null']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('served over TLS', () => {
  let ledger: RunningLedger;
  let dir: string;
  let ca: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = require('node:fs').readFileSync(join(dir, 'cert.pem'));
    ledger = await startLedger('sqlite', {
      tlsCertFile: join(dir, 'cert.pem'),
      tlsKeyFile: join(dir, 'key.pem'),
      runWorkers: false,
    });
  });
  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers HTTPS with HSTS and upgrade-insecure-requests, and refuses plain HTTP', async () => {
    const port = new URL(ledger.url).port;
    const answer = await new Promise<{ status: number; headers: Record<string, unknown> }>(
      (resolve, reject) =>
        httpsRequest({ host: '127.0.0.1', port, path: '/health', ca }, (response) => {
          response.resume();
          resolve({ status: response.statusCode!, headers: response.headers });
        })
          .on('error', reject)
          .end(),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(
      directives(String(answer.headers['content-security-policy'])).has('upgrade-insecure-requests'),
    ).toBe(true);
    await expect(fetch(`${ledger.url}/health`)).rejects.toThrow();
  });

  it('refuses TLS older than 1.2', async () => {
    const port = Number(new URL(ledger.url).port);
    const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3') =>
      new Promise<string>((resolve) => {
        const socket = tlsConnect({ host: '127.0.0.1', port, ca, minVersion: 'TLSv1', maxVersion }, () => {
          resolve(socket.getProtocol() ?? 'none');
          socket.end();
        });
        socket.once('error', (error) => resolve(`refused: ${error.message}`));
      });
    expect(await handshake('TLSv1.1')).toMatch(/^refused/);
    expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
    expect(await handshake('TLSv1.3')).toBe('TLSv1.3');
  });
});

describe('timeouts and the connection cap', () => {
  let ledger: RunningLedger;
  let port: number;
  beforeAll(async () => {
    ledger = await startLedger('sqlite', {
      httpConnectionTimeoutMs: 400,
      httpKeepAliveTimeoutMs: 300,
      httpMaxConnections: 3,
      httpMaxRequestsPerSocket: 2,
      runWorkers: false,
    });
    port = Number(new URL(ledger.url).port);
  });
  afterAll(() => ledger?.stop());

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  const closedWithin = (socket: Socket, ms: number) =>
    new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
      socket.on('error', () => undefined);
      socket.resume();
    });
  const get = (socket: Socket) =>
    new Promise<string>((resolve) => {
      socket.once('data', (chunk) => resolve(chunk.toString()));
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    });

  it('closes a connection that sends nothing after the connection timeout', async () => {
    const idle = await open();
    const after = await closedWithin(idle, 3_000);
    expect(after).toBeGreaterThanOrEqual(300);
  });

  it('closes a kept-alive connection left idle after the keep-alive timeout', async () => {
    const socket = await open();
    expect(await get(socket)).toMatch(/^HTTP\/1.1 200/);
    await closedWithin(socket, 3_000);
  });

  it('serves at most the configured requests on one connection', async () => {
    const socket = await open();
    expect(await get(socket)).toMatch(/^HTTP\/1.1 200/);
    expect(await get(socket)).toMatch(/connection: close/i);
    await closedWithin(socket, 3_000);
  });

  it('refuses connections beyond the cap', async () => {
    const held = await Promise.all([open(), open(), open()]);
    const extra = await open();
    await closedWithin(extra, 1_000);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = await open();
    expect(await get(later)).toMatch(/^HTTP\/1.1 200/);
    later.destroy();
  });
});

describe('the docs page under the CSP (Swagger UI, which Jest cannot load, so the real process)', () => {
  let child: ChildProcess;
  let url: string;
  let dataDir: string;
  let output = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-docs-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = fork(join(__dirname, '..', '..', 'apps', 'ledger-api', 'src', 'main.ts'), [], {
      cwd: join(__dirname, '..', '..'),
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: {
        ...process.env,
        LEDGER_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LEDGER_WORKERS: 'off',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the API exited: ${output}`);
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 300) throw new Error(`the API did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads its HTML, scripts and styles, all of which the CSP allows', async () => {
    const page = await fetch(`${url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = directives(page.headers.get('content-security-policy'));
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    const sheets = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(sheets.length).toBeGreaterThanOrEqual(1);
    // script-src 'self' and nothing else: every script must be a same-origin file, none inline, no handlers.
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(scripts.every(([, attributes, body]) => /src="/.test(attributes!) && !body!.trim())).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Inline <style> blocks and style attributes need 'unsafe-inline' for styles (never for scripts).
    if (/<style|style="/.test(html)) expect(csp.get('style-src')).toContain("'unsafe-inline'");
    const files = [...scripts.map(([, attributes]) => /src="([^"]+)"/.exec(attributes!)![1]!), ...sheets];
    for (const file of files) {
      const target = new URL(file, page.url);
      expect(target.origin).toBe(url); // 'self'
      const response = await fetch(target);
      expect([file, response.status]).toEqual([file, 200]);
      const body = await response.text();
      expect(response.headers.get('content-type')).toMatch(
        file.endsWith('.css') ? /text\/css/ : /javascript/,
      );
      // No eval under script-src 'self': the bundle's only Function() is a fallback behind `self`.
      if (file.endsWith('.js')) expect(body).not.toMatch(/[^\w.]eval\(/);
    }
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect((await fetch(`${url}/docs/openapi.json`)).status).toBe(200);
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
