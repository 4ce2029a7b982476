// Callers are known by API key; each key maps to the actor written into the events it causes.
import { Logger } from '@nestjs/common';
import type { Actor } from '@ledger/event-store';

export const API_KEYS = Symbol('API_KEYS');
export type ApiKeys = ReadonlyMap<string, Actor>;

/** Used only when LEDGER_API_KEYS is unset, so a local ledger works at once; logged as a warning. */
export const DEVELOPMENT_KEY = 'dev-national-admin';

export function loadApiKeys(env: NodeJS.ProcessEnv = process.env): ApiKeys {
  const raw = env.LEDGER_API_KEYS;
  if (!raw) {
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
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    throw new Error('LEDGER_API_KEYS must be a JSON array of {key, userId, role, department, jurisdiction}');
  }
  if (!Array.isArray(entries)) throw new Error('LEDGER_API_KEYS must be a JSON array');
  return new Map(
    entries.map((entry, i) => {
      const { key, userId, role, department, jurisdiction } = entry ?? {};
      for (const [name, value] of Object.entries({ key, userId, role, department, jurisdiction })) {
        if (typeof value !== 'string' || value === '')
          throw new Error(`LEDGER_API_KEYS[${i}].${name} must be a non-empty string`);
      }
      if (!/^\d{6}$/.test(jurisdiction))
        throw new Error(`LEDGER_API_KEYS[${i}].jurisdiction must be a 6-digit division code`);
      return [key as string, { userId, role, department, jurisdiction } as Actor];
    }),
  );
}
