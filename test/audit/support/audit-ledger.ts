// The real ledger over HTTP with the audit module, built as bootstrap.ts builds it. Until AuditModule is
// imported by AppModule this composes the two; afterwards it still works (Nest imports a module once).
// Audit settings travel through the environment, read when the module starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../../../apps/ledger-api/src/app.module';
import type { AuditConfig } from '../../../apps/ledger-api/src/audit/audit-config';
import { AuditModule } from '../../../apps/ledger-api/src/audit/audit.module';
import { loadConfig, type LedgerConfig } from '../../../apps/ledger-api/src/config/ledger-config';
import { requestValidationPipe } from '../../../apps/ledger-api/src/errors/validation';
import { testApiKeys } from '../../support/ledger-app';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../../support/postgres';

export type Backend = 'sqlite' | 'postgres';

export const AUDIT_KEYS = {
  national: 'test-national',
  haidian: 'test-haidian',
  xiamen: 'test-xiamen',
  auditor: 'test-auditor',
} as const;

const apiKeys = new Map([
  ...testApiKeys,
  [
    AUDIT_KEYS.auditor,
    { userId: 'u-auditor', role: 'auditor', department: 'national-audit-office', jurisdiction: '000000' },
  ],
]);

export interface AuditLedger {
  readonly app: NestFastifyApplication;
  readonly config: LedgerConfig;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted on by the tests
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; as?: string },
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

@Module({})
class LedgerWithAudit {
  static forConfig(config: LedgerConfig): DynamicModule {
    return { module: LedgerWithAudit, imports: [AppModule.forConfig(config, apiKeys), AuditModule] };
  }
}

/** The audit settings go through the environment, as in production (AuditModule reads it when it starts). */
function auditEnvironment(audit: Partial<AuditConfig>): Record<string, string | undefined> {
  return {
    LEDGER_DIGEST_EVERY_EVENTS: audit.digestEveryEvents?.toString(),
    LEDGER_DIGEST_EVERY_SECONDS: audit.digestEverySeconds?.toString(),
    LEDGER_DIGEST_CHUNK_SIZE: audit.digestChunkSize?.toString(),
    LEDGER_DIGESTS: audit.digestsEnabled === false ? 'off' : undefined,
    LEDGER_DIGEST_TOPIC: audit.digestTopic,
  };
}

export async function startAuditLedger(
  backend: Backend,
  audit: Partial<AuditConfig> = {},
  overrides: Partial<LedgerConfig> = {},
): Promise<AuditLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-e2e-'));
  const schema = uniqueSchema('audit_e2e');
  if (backend === 'postgres') await requirePostgres();
  const config: LedgerConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: backend === 'postgres' ? TEST_DATABASE_URL : undefined,
    databaseSchema: schema,
    logLevel: 'error',
    ...overrides,
  };
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(auditEnvironment(audit))) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      LedgerWithAudit.forConfig(config),
      new FastifyAdapter({ bodyLimit: config.maxBodyBytes }),
      {
        logger: false,
        abortOnError: false,
      },
    );
  } finally {
    process.env = saved;
  }
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(requestValidationPipe);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key').build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', ui: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return {
    app,
    config,
    async request(method, path, { body, headers = {}, as = AUDIT_KEYS.national } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(as ? { 'x-api-key': as } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed };
    },
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await dropSchema(schema);
    },
  };
}
