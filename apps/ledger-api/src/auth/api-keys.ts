// Callers are known by API key (LEDGER_API_KEYS, read with the rest of the configuration); each key maps
// to the actor written into the events it causes.
import { Logger } from '@nestjs/common';
import type { ApiKeys, LedgerConfig } from '@ledger/runtime';

export type { ApiKeys } from '@ledger/runtime';

export const API_KEYS = Symbol('API_KEYS');

/** Used only when LEDGER_API_KEYS is unset, so a local ledger works at once; logged as a warning. */
export const DEVELOPMENT_KEY = 'dev-national-admin';

export function apiKeysOf(config: Pick<LedgerConfig, 'apiKeys'>): ApiKeys {
  if (config.apiKeys) return config.apiKeys;
  new Logger('Auth').warn({
    msg: `LEDGER_API_KEYS is not set: only the development key "${DEVELOPMENT_KEY}" (a national official: registers, records and reads; see docs/access-control.md) is accepted`,
  });
  return new Map([
    [
      DEVELOPMENT_KEY,
      { userId: 'dev-official', role: 'official', department: 'development', jurisdiction: '000000' },
    ],
  ]);
}
