// The logs as an operator ships them: every line written while a request is handled carries that request's
// id, and no line ever holds a resident ID number in clear, whatever the requests carried (bodies, paths,
// query strings, headers) and whatever the followers logged about the events they handled (debug level).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { addDays, beijingDateOf, residentIdCheckCharacter } from '@ledger/domain';
import { JsonLogger, loadConfig } from '@ledger/runtime';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap';
import { KEYS, testApiKeys } from '../support/ledger-app';

const TEACHER_ID = ((first17: string) => first17 + residentIdCheckCharacter(first17))('35020319850615123');
/** Parts of it that are as telling: the first 17 digits, the birth date within it. */
const FRAGMENTS = [TEACHER_ID, TEACHER_ID.slice(0, 17), TEACHER_ID.slice(6, 14)];
/** Followers log on their own time, outside any request. */
const BACKGROUND = new Set([
  'Workers',
  'Projections',
  'Audit',
  'Messaging',
  'DeadlineScheduler',
  'Calendar',
  'EventStore',
  'DigestPublisher',
]);

describe('the logs', () => {
  const raw: string[] = [];
  let app: NestFastifyApplication;
  let url: string;
  let dataDir: string;
  let teacher: string;
  /** Each request's id and the lines logged while it was handled. */
  const handled: { requestId: string; lines: Record<string, unknown>[] }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-logs-'));
    const logger = new JsonLogger('debug', (line) => raw.push(line) > 0);
    app = await createLedgerApp(
      { ...loadConfig({}), dataDir, port: 0, logLevel: 'debug', digestEverySeconds: 1 },
      { apiKeys: testApiKeys, logger, docsUi: false },
    );
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

    // One request at a time, so the lines logged meanwhile are that request's (besides the followers').
    const send = async (
      path: string,
      init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
      key: string = KEYS.xiamen,
    ) => {
      const from = raw.length;
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: {
          'x-api-key': key,
          'x-access-purpose': 'supervision',
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === 'string'
              ? init.body
              : JSON.stringify(init.body),
      });
      const text = await response.text();
      await new Promise((resolve) => setTimeout(resolve, 20)); // the onResponse line
      handled.push({
        requestId: response.headers.get('x-request-id')!,
        lines: raw.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>),
      });
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };

    const registration = { kind: 'teacher', name: '王老师', identifier: TEACHER_ID, jurisdiction: '350203' };
    const registered = await send('/api/v1/subjects', { body: registration });
    expect(registered.status).toBe(201);
    teacher = registered.body.subjectId;
    expect((await send('/api/v1/subjects', { body: registration })).status).toBe(409);
    const today = beijingDateOf(new Date().toISOString());
    const penalty = await send(`/api/v1/subjects/${teacher}/penalties`, {
      body: {
        documentNumber: `思教罚决字〔2026〕日志第1号`,
        offenceType: '违反教师职业行为准则',
        facts: `经查，当事人（身份证号${TEACHER_ID}）有偿补课。`,
        legalBasis: '《新时代中小学教师职业行为十项准则》',
        categories: ['notice_of_criticism'],
        content: '通报批评。',
        decisionDate: addDays(today, -1),
        authority: { name: '厦门市思明区教育局', uscc: '113502030041255231' },
        severity: 'minor',
      },
    });
    expect(penalty.status).toBe(201);
    await send('/api/v1/subjects/lookup', { body: { identifier: TEACHER_ID } });
    await send(`/api/v1/subjects/${teacher}`);
    await send(`/api/v1/subjects?identifier=${TEACHER_ID}`);
    await send(`/api/v1/subjects/${TEACHER_ID}`);
    await send(`/api/v1/subjects/${TEACHER_ID}/honours`, { body: { title: TEACHER_ID } });
    // A teacher's ID where a school's code belongs, and as malformed JSON.
    await send('/api/v1/subjects', { body: { ...registration, kind: 'school' } });
    await send('/api/v1/subjects', { body: `{"identifier": "${TEACHER_ID}", ` });
    await send(`/api/v1/subjects/${teacher}`, { headers: { 'x-request-id': `req-${TEACHER_ID}` } });
    await send('/api/v1/lists/red', { headers: { 'x-correlation-id': `c-${TEACHER_ID}` } });
    await send('/api/v1/lists/red', {}, TEACHER_ID); // an ID number as the API key
    await send(
      `/api/v1/audit/subjects/${teacher}/events`,
      {
        headers: { 'x-access-purpose': 'audit' },
      },
      KEYS.nationalAuditor,
    );
    await send('/api/v1/audit/verify', {}, KEYS.nationalAuditor);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the followers and a digest
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('carries the request id on every line logged while a request is handled', () => {
    expect(handled.length).toBeGreaterThan(10);
    for (const { requestId, lines } of handled) {
      const ofRequest = lines.filter((line) => !BACKGROUND.has(String(line.context)));
      expect(ofRequest.find((line) => line.msg === 'request')).toBeDefined();
      for (const line of ofRequest) expect({ line, requestId: line.requestId }).toEqual({ line, requestId });
    }
  });

  it('holds no resident ID number, nor its first 17 digits or birth date, on any line', () => {
    expect(raw.length).toBeGreaterThan(20);
    for (const fragment of FRAGMENTS) {
      const offending = raw.filter((line) => line.includes(fragment));
      expect(offending).toEqual([]);
    }
  });
});
