// Static API keys (LEDGER_API_KEYS, read with the rest of the configuration): each key maps to the actor
// written into the events it causes. They never expire and cannot be revoked but by a restart with another
// value: for small deployments and bootstrapping; keys managed with `ledger-cli keys` or /api/v1/api-keys
// expire, rotate and are revoked (libs/application/src/api-keys).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Actor } from '@ledger/event-store';
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
    msg: `LEDGER_API_KEYS is not set: only the development key "${DEVELOPMENT_KEY}" (a national official: registers, records and reads; see docs/access-control.md) is accepted`,
  });
  return new Map([
    [
      DEVELOPMENT_KEY,
      { userId: 'dev-official', role: 'official', department: 'development', jurisdiction: '000000' },
    ],
  ]);
}

/** Static keys checked in constant time: every key's digest is compared, whichever matches. */
export class StaticApiKeys {
  private readonly entries: readonly { digest: Buffer; actor: Actor }[];

  constructor(keys: ApiKeys) {
    this.entries = [...keys].map(([key, actor]) => ({ digest: digestOf(key), actor }));
  }

  match(presented: string): Actor | undefined {
    const digest = digestOf(presented);
    let found: Actor | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, digest)) found = entry.actor;
    return found;
  }
}

const digestOf = (text: string): Buffer => createHash('sha256').update(text).digest();
