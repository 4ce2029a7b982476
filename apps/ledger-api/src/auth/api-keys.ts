// Callers are known by API key (LEDGER_API_KEYS, read with the rest of the configuration); each key maps
// to the actor written into the events it causes.
import { Logger } from '@nestjs/common';
import { DEVELOPMENT_API_KEY, isProduction, type ApiKeys, type LedgerConfig } from '@ledger/runtime';

export type { ApiKeys } from '@ledger/runtime';

export const API_KEYS = Symbol('API_KEYS');

/** Used only when LEDGER_API_KEYS is unset outside production, so a local ledger works at once; logged as a warning. */
export const DEVELOPMENT_KEY = DEVELOPMENT_API_KEY;

export function apiKeysOf(
  config: Pick<LedgerConfig, 'apiKeys'>,
  env: NodeJS.ProcessEnv = process.env,
): ApiKeys {
  if (config.apiKeys) return config.apiKeys;
  // loadConfig refuses this already; a configuration built another way must not slip the key in either.
  if (isProduction(env)) return new Map();
  new Logger('Auth').warn({
    msg: `LEDGER_API_KEYS is not set: only the development key "${DEVELOPMENT_KEY}" (national admin) is accepted`,
  });
  return new Map([
    [
      DEVELOPMENT_KEY,
      { userId: 'dev-admin', role: 'admin', department: 'development', jurisdiction: '000000' },
    ],
  ]);
}
