// Starts the real ledger (HTTP on a random port) on the embedded store or PostgreSQL, for end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLedgerApp, type LedgerAppOptions } from '../../apps/ledger-api/src/bootstrap';
import type { ApiKeys } from '../../apps/ledger-api/src/auth/api-keys';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { loadConfig, type LedgerConfig } from '@ledger/runtime';
import { dropSchema, requirePostgres, sql, TEST_DATABASE_URL, uniqueSchema } from './postgres';

export type Backend = 'sqlite' | 'postgres';

/**
 * Callers of the tests, one key per role (the access policy gives each role only what it needs): national
 * keys of one ministry office in every role, Beijing Haidian and Fujian Xiamen officials, a Xiamen reviewer.
 */
export const KEYS = {
  /** National admin: calendar, keys, policies. */
  national: 'test-national',
  nationalOfficial: 'test-national-official',
  nationalReviewer: 'test-national-reviewer',
  nationalAuditor: 'test-national-auditor',
  haidian: 'test-haidian',
  xiamen: 'test-xiamen',
  xiamenReviewer: 'test-xiamen-reviewer',
  /** What Prometheus scrapes with: metrics.read only. */
  monitoring: 'test-monitoring',
} as const;

const national = (role: string) => ({
  userId: 'u-national',
  role,
  department: 'ministry-credit-office',
  jurisdiction: '000000',
});

export const testApiKeys: ApiKeys = new Map([
  [KEYS.national, national('admin')],
  [KEYS.nationalOfficial, national('official')],
  [KEYS.nationalReviewer, national('reviewer')],
  [KEYS.nationalAuditor, national('auditor')],
  [KEYS.monitoring, { ...national('monitoring'), userId: 'u-prometheus' }],
  [
    KEYS.haidian,
    {
      userId: 'u-haidian',
      role: 'official',
      department: 'haidian-education-commission',
      jurisdiction: '110108',
    },
  ],
  [
    KEYS.xiamen,
    { userId: 'u-xiamen', role: 'official', department: 'xiamen-education-bureau', jurisdiction: '350200' },
  ],
  [
    KEYS.xiamenReviewer,
    {
      userId: 'u-xiamen-reviewer',
      role: 'reviewer',
      department: 'xiamen-education-bureau',
      jurisdiction: '350200',
    },
  ],
]);

/**
 * The national caller a request is sent as when the test names none: the role whose permission the route
 * needs (before the access policy, one national admin key did everything).
 */
export function nationalCallerFor(method: string, path: string): string {
  if (path.startsWith('/api/v1/calendar')) return method === 'GET' ? KEYS.nationalAuditor : KEYS.national;
  if (method === 'GET' || path.startsWith('/api/v1/subjects/lookup')) return KEYS.nationalAuditor;
  return /\/decision(\?|$)/.test(path) ? KEYS.nationalReviewer : KEYS.nationalOfficial;
}

/** The purpose a test's read of a natural person gives by default, per role (the reason stays the test's). */
const DEFAULT_PURPOSE: Record<string, string> = {
  official: 'supervision',
  reviewer: 'supervision',
  auditor: 'audit',
};

export interface RunningLedger {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly config: LedgerConfig;
  /**
   * A fetch with the API key of `as` (default: the national key of the role the route needs) and JSON
   * bodies; an X-Access-Purpose for the caller's role unless the test sends one.
   */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    as?: string,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** POSTs a command under /api/v1, as the Xiamen official (reviewer for decisions) unless `as` says otherwise. */
  command(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
    as?: string,
  ): ReturnType<RunningLedger['request']>;
  /** Registers a subject (in Siming district unless told) and gives its id; anything but 201 fails the test. */
  register(kind: string, name: string, identifier: string, jurisdiction?: string): Promise<string>;
  /**
   * Events stored so far (in streams whose id starts with `streamPrefix`), counted in the storage itself. Not `headPosition`: on PostgreSQL that stops below
   * transactions still open anywhere on the server (parallel suites), so it can move without our writes.
   */
  eventCount(streamPrefix?: string): Promise<number>;
  /**
   * Sends a request that must be refused and checks that no subject stream gained an event (counted in
   * storage: /health's head trails open transactions on PostgreSQL, and case streams grow on their own).
   */
  refuses(send: () => ReturnType<RunningLedger['request']>): ReturnType<RunningLedger['request']>;
  stop(): Promise<void>;
}

export async function startLedger(
  backend: Backend,
  overrides: Partial<LedgerConfig> = {},
  apiKeys: ApiKeys = testApiKeys,
  /** More options for the application (a logger to read, the token verifier's clock). */
  appOptions: Omit<LedgerAppOptions, 'apiKeys'> = {},
): Promise<RunningLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const schema = uniqueSchema('e2e');
  if (backend === 'postgres') await requirePostgres();
  const config: LedgerConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: backend === 'postgres' ? TEST_DATABASE_URL : undefined,
    databaseSchema: schema,
    logLevel: 'error',
    // Suites send thousands of requests from one address; the rate-limit suite turns them on.
    rateLimits: false,
    ...overrides,
  };
  const app = await createLedgerApp(config, { apiKeys, logger: false, docsUi: false, ...appOptions });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const running: RunningLedger = {
    app,
    url,
    config,
    async request(method, path, body, headers = {}, as?: string) {
      const caller = as ?? nationalCallerFor(method, path);
      const purpose = DEFAULT_PURPOSE[apiKeys.get(caller)?.role ?? ''];
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(caller ? { 'x-api-key': caller } : {}),
          ...(purpose ? { 'x-access-purpose': purpose } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    command(path, body, headers = {}, as?: string) {
      const caller = as ?? (/\/decision(\?|$)/.test(path) ? KEYS.xiamenReviewer : KEYS.xiamen);
      return running.request('POST', `/api/v1/${path}`, body, headers, caller);
    },
    async register(kind, name, identifier, jurisdiction = '350203') {
      const response = await running.command('subjects', { kind, name, identifier, jurisdiction });
      expect(response.status).toBe(201);
      return response.body.subjectId;
    },
    async eventCount(streamPrefix = '') {
      if (backend === 'postgres') {
        const [row] = await sql<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.events WHERE stream_id LIKE $1`,
          [`${streamPrefix}%`],
        );
        return Number(row!.n);
      }
      const store = app.get<EventStore>(EVENT_STORE);
      return (await store.readAll({ after: 0, limit: 1_000_000 })).filter((e) =>
        e.streamId.startsWith(streamPrefix),
      ).length;
    },
    async refuses(send) {
      const before = await running.eventCount('subject-');
      const response = await send();
      expect(await running.eventCount('subject-')).toBe(before);
      return response;
    },
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await dropSchema(schema);
    },
  };
  return running;
}
