// GET /metrics: the Prometheus text format, for a role holding metrics.read only, with the figures the README
// lists, labelled by route template (never a URL), and nothing personal in it.
import { residentIdCheckCharacter } from '@ledger/domain';
import { KEYS, startLedger, type RunningLedger } from '../support/ledger-app';

const TEACHER_ID = ((first17: string) => first17 + residentIdCheckCharacter(first17))('35020319850615123');

/** The samples of one metric: labels and value. */
function samples(exposition: string, name: string): { labels: string; value: number }[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const match = /^[^{ ]+(\{[^}]*\})? (\S+)$/.exec(line)!;
      return { labels: match[1] ?? '', value: Number(match[2]) };
    });
}

describe('GET /metrics', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger('sqlite');
  });
  afterAll(() => ledger.stop());

  describe('who may scrape', () => {
    it('refuses a caller without a key (401) and a role without metrics.read (403)', async () => {
      expect((await ledger.request('GET', '/metrics', undefined, {}, '')).status).toBe(401);
      const official = await ledger.request('GET', '/metrics', undefined, {}, KEYS.xiamen);
      expect(official.status).toBe(403);
      expect(official.body.error).toMatchObject({
        code: 'ACCESS.PERMISSION_REQUIRED',
        permission: 'metrics.read',
      });
    });

    it('serves the monitoring role its key as a bearer token, the way Prometheus sends it', async () => {
      const response = await fetch(`${ledger.url}/metrics`, {
        headers: { authorization: `Bearer ${KEYS.monitoring}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    });
  });

  describe('after commands were answered', () => {
    let exposition: string;
    beforeAll(async () => {
      const teacher = await ledger.register('teacher', '王老师', TEACHER_ID);
      await ledger.request('GET', `/api/v1/subjects/${teacher}`, undefined, {}, KEYS.xiamen);
      // A rejected command: the same identifier twice.
      const again = await ledger.command('subjects', {
        kind: 'teacher',
        name: '王老师',
        identifier: TEACHER_ID,
        jurisdiction: '350203',
      });
      expect(again.status).toBeGreaterThanOrEqual(400);
      await ledger.request('GET', '/api/v1/subjects/not-a-subject', undefined, {}, KEYS.xiamen);
      await ledger.request('GET', `/api/v1/audit/verify`, undefined, {}, KEYS.nationalAuditor);
      exposition = (await ledger.request('GET', '/metrics', undefined, {}, KEYS.monitoring)).body;
    });

    it('times HTTP requests by route template and status, never by URL', () => {
      const counts = samples(exposition, 'ledger_http_request_duration_seconds_count');
      expect(counts).toContainEqual({
        labels: '{method="POST",route="/api/v1/subjects",status="201"}',
        value: 1,
      });
      expect(counts.map((c) => c.labels).join('\n')).toMatch(
        /\{method="GET",route="\/api\/v1\/subjects\/:subjectId",status="\d{3}"\}/,
      );
      expect(exposition).not.toContain('not-a-subject');
      expect(samples(exposition, 'ledger_http_request_duration_seconds_bucket').length).toBeGreaterThan(10);
    });

    it('counts commands by type and outcome, rejections by their code', () => {
      const commands = samples(exposition, 'ledger_commands_total');
      expect(commands).toContainEqual({
        labels: '{command="RegisterSubject",outcome="accepted",code=""}',
        value: 1,
      });
      expect(commands.find((c) => c.labels.includes('outcome="rejected"'))?.labels).toMatch(
        /command="RegisterSubject",outcome="rejected",code="[A-Z_]+\.[A-Z_.]+"/,
      );
    });

    it('times appends, reads the followers’ lag and the last verification', () => {
      expect(samples(exposition, 'ledger_store_append_duration_seconds_count')).toContainEqual({
        labels: '{store="sqlite",outcome="ok"}',
        value: 1,
      });
      const lag = samples(exposition, 'ledger_follower_lag_events').map((s) => s.labels);
      expect(lag).toEqual(
        expect.arrayContaining([
          '{follower="read-models"}',
          '{follower="list-history"}',
          '{follower="digester"}',
        ]),
      );
      expect(samples(exposition, 'ledger_follower_lag_seconds').length).toBe(lag.length);
      expect(samples(exposition, 'ledger_follower_halted').every((s) => s.value === 0)).toBe(true);
      expect(samples(exposition, 'ledger_verify_last_ok')).toEqual([
        { labels: '{store="sqlite"}', value: 1 },
      ]);
      expect(exposition).toContain('# TYPE process_cpu_seconds_total counter');
      expect(exposition).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    });

    it('holds no identifier of anyone', () => {
      expect(exposition).not.toContain(TEACHER_ID);
      expect(exposition).not.toContain(TEACHER_ID.slice(0, 17));
    });
  });
});

describe('GET /metrics with LEDGER_METRICS=off', () => {
  it('answers 404 METRICS.OFF', async () => {
    const ledger = await startLedger('sqlite', { metricsEnabled: false });
    try {
      const response = await ledger.request('GET', '/metrics', undefined, {}, KEYS.monitoring);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('METRICS.OFF');
    } finally {
      await ledger.stop();
    }
  });
});
