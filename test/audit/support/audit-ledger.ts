// The real ledger over HTTP, as the other end-to-end suites start it, with an auditor's key and audit
// settings. Those travel through the environment, as in production: AuditModule reads it when it starts.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuditConfig } from '../../../apps/ledger-api/src/audit/audit-config';
import type { LedgerConfig } from '../../../apps/ledger-api/src/config/ledger-config';
import { startLedger, testApiKeys } from '../../support/ledger-app';

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
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(auditEnvironment(audit))) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let ledger: Awaited<ReturnType<typeof startLedger>>;
  try {
    ledger = await startLedger(backend, overrides, apiKeys);
  } finally {
    process.env = saved;
  }
  return {
    app: ledger.app,
    config: ledger.config,
    request: (method, path, { body, headers = {}, as = AUDIT_KEYS.national } = {}) =>
      ledger.request(method, path, body, headers, as),
    stop: () => ledger.stop(),
  };
}
