// The worker's /metrics: the followers it runs, for the same keys as the API's (metrics.read), bearer or X-API-Key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, loadConfig, metricsAccess } from '@ledger/runtime';
import { serveHealth, type HealthServer } from '../../apps/ledger-worker/src/health-server';
import { KEYS, testApiKeys } from '../support/ledger-app';

describe('the worker’s GET /metrics', () => {
  let dataDir: string;
  let ledger: Ledger;
  let server: HealthServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-worker-metrics-'));
    const config = { ...loadConfig({}), dataDir, apiKeys: testApiKeys, schedulerIntervalMs: 3_600_000 };
    ledger = await Ledger.open(config);
    await ledger.start();
    server = await serveHealth(() => ledger.health(), '127.0.0.1', 0, {
      metrics: ledger.metrics,
      access: metricsAccess(config.apiKeys, ledger.apiKeys),
    });
  });
  afterAll(async () => {
    await server?.close();
    await ledger?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = (headers: Record<string, string>) => fetch(`${server.url}/metrics`, { headers });

  it('refuses no key and a wrong key (401), a role without metrics.read (403)', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer not-a-key' })).status).toBe(401);
    const official = await scrape({ 'x-api-key': KEYS.xiamen });
    expect(official.status).toBe(403);
    expect(((await official.json()) as { error: { code: string } }).error.code).toBe(
      'ACCESS.PERMISSION_REQUIRED',
    );
  });

  it('serves the followers’ lag to the monitoring role', async () => {
    const response = await scrape({ authorization: `Bearer ${KEYS.monitoring}` });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('ledger_follower_lag_events{follower="read-models"} 0');
    expect(body).toContain('ledger_follower_lag_seconds{follower="digester"} 0');
    expect(body).toContain('# TYPE process_resident_memory_bytes gauge');
  });
});
