// Request ids, the request log and X-Correlation-Id checked before it reaches the permanent events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { JsonLogger, loadConfig } from '@ledger/runtime';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap';
import { KEYS, testApiKeys } from '../support/ledger-app';

describe('request ids, request log and correlation ids', () => {
  const lines: Array<Record<string, unknown>> = [];
  let app: NestFastifyApplication;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-tracing-'));
    const logger = new JsonLogger('info', (line) => lines.push(JSON.parse(line)) > 0);
    app = await createLedgerApp(
      { ...loadConfig({}), dataDir, port: 0, schedulerIntervalMs: 3_600_000 },
      { apiKeys: testApiKeys, logger, docsUi: false },
    );
    // A route of the test's own that logs while it handles the request, as any handler or guard may.
    app
      .getHttpAdapter()
      .getInstance()
      .get('/logs-inside', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        new Logger('Inside').log({ msg: 'handled' });
        return { ok: true };
      });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const send = (path: string, init: RequestInit = {}, key: string | null = KEYS.xiamen) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        ...(key ? { 'x-api-key': key } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const register = (headers: Record<string, string>, identifier: string) =>
    send('/api/v1/subjects', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        kind: 'training_institution',
        name: '厦门某培训学校',
        identifier,
        jurisdiction: '350213',
      }),
    });
  const storedCorrelationOf = async (subjectId: string) => {
    const store = app.get<EventStore>(EVENT_STORE);
    const [event] = await store.readStream(`subject-${subjectId}`);
    return event!.metadata.correlationId;
  };

  it('refuses a malformed X-Correlation-Id with 400 before anything is written', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const before = (await store.readAll({ after: 0, limit: 10_000 })).length;
    for (const correlation of [
      'x'.repeat(10_000),
      '<b>html</b>',
      'a b',
      'id-11010519491231002X-in-it',
      'ünïcode',
    ]) {
      const response = await register({ 'x-correlation-id': correlation }, '91350213678251743X');
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.error.code).toBe('INPUT.INVALID_CORRELATION_ID');
      expect(body.error.fields[0].field).toBe('X-Correlation-Id');
    }
    // Reads too: the access log stores it.
    const read = await send('/api/v1/lists/red', { headers: { 'x-correlation-id': '<script>' } });
    expect(read.status).toBe(400);
    expect((await store.readAll({ after: 0, limit: 10_000 })).length).toBe(before);
  });

  it('stores a well-formed correlation id, and the request id when none is sent', async () => {
    const given = await register({ 'x-correlation-id': 'batch-2026.12:07_a' }, '91350213678251743X');
    expect(given.status).toBe(201);
    expect(await storedCorrelationOf(((await given.json()) as any).subjectId)).toBe('batch-2026.12:07_a');

    const none = await register({}, '91350200776049653A');
    expect(none.status).toBe(201);
    const requestId = none.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await storedCorrelationOf(((await none.json()) as any).subjectId)).toBe(requestId);
  });

  it('sends X-Request-Id in every answer: a well-formed incoming one is kept, any other replaced', async () => {
    const answers = await Promise.all([
      send('/health', {}, null),
      send('/api/v1/lists/red'),
      send('/api/v1/lists/red?page=0'),
      send('/api/v1/lists/red', {}, null),
      send('/api/v1/nowhere'),
      send('/api/v1/subjects', { method: 'POST', body: 'x'.repeat(300_000) }),
      send('/api/v1/lists/red', { headers: { 'x-correlation-id': '<b>' } }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 401, 404, 413, 400]);
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    const kept = await send('/api/v1/lists/red', { headers: { 'x-request-id': 'lb-7f3a:1' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a:1');
    const replaced = await send('/api/v1/lists/red', { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per request with method, route, status, duration and principal, never credentials or ID numbers', async () => {
    lines.length = 0;
    const response = await send('/api/v1/subjects?code=11010519491231002X', {
      headers: { 'x-access-reason': 'checking a complaint' },
    });
    const requestId = response.headers.get('x-request-id');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requestLines = lines.filter((line) => line.msg === 'request' && line.requestId === requestId);
    expect(requestLines).toEqual([
      expect.objectContaining({
        context: 'Http',
        method: 'GET',
        route: '/api/v1/subjects',
        status: response.status,
        durationMs: expect.any(Number),
        principal: 'u-xiamen',
      }),
    ]);
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('11010519491231002X');
    expect(everything).not.toContain('19491231');
    expect(everything).not.toContain(KEYS.xiamen);

    const anonymous = await send('/api/v1/lists/red', {}, 'a-wrong-key');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ofAnonymous = lines.filter((line) => line.requestId === anonymous.headers.get('x-request-id'));
    expect(ofAnonymous.find((line) => line.msg === 'request')).toMatchObject({
      status: 401,
      principal: null,
    });
    // The guard's own line about the failure carries the same request id.
    expect(ofAnonymous.find((line) => line.context === 'Auth')).toMatchObject({ level: 'warn' });
    expect(JSON.stringify(lines)).not.toContain('a-wrong-key');
  });

  it('puts the request id on every line logged while the request is handled', async () => {
    lines.length = 0;
    const response = await send('/logs-inside', {}, null);
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requestId = response.headers.get('x-request-id');
    expect(lines.find((line) => line.msg === 'handled')).toMatchObject({ context: 'Inside', requestId });
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ route: '/logs-inside', requestId });
  });
});
