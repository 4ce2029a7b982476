// The real ledger over HTTP, as the other end-to-end suites start it, with an auditor's key and audit
// settings (the LEDGER_DIGEST* variables of the configuration).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LedgerConfig } from '@ledger/runtime';
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
  readonly url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted on by the tests
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; as?: string },
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export type AuditSettings = Pick<
  LedgerConfig,
  'digestEveryEvents' | 'digestEverySeconds' | 'digestChunkSize' | 'digestsEnabled' | 'digestTopic'
>;

export async function startAuditLedger(
  backend: Backend,
  audit: Partial<AuditSettings> = {},
  overrides: Partial<LedgerConfig> = {},
): Promise<AuditLedger> {
  const ledger = await startLedger(backend, { ...audit, ...overrides }, apiKeys);
  return {
    app: ledger.app,
    config: ledger.config,
    url: ledger.url,
    request: (method, path, { body, headers = {}, as } = {}) =>
      ledger.request(method, path, body, headers, as),
    stop: () => ledger.stop(),
  };
}
