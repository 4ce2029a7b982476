// LEDGER_API_KEYS: a JSON array of {key, userId, role, department, jurisdiction}; each key's actor goes
// into the events its caller causes.
import { plainToInstance } from 'class-transformer';
import { IsString, Matches, MinLength, validateSync } from 'class-validator';
import type { Actor } from '@ledger/event-store';

export type ApiKeys = ReadonlyMap<string, Actor>;

const NON_EMPTY = { message: '$property must be a non-empty string' };

class ApiKeyEntry {
  @IsString(NON_EMPTY) @MinLength(1, NON_EMPTY) readonly key: string;
  @IsString(NON_EMPTY) @MinLength(1, NON_EMPTY) readonly userId: string;
  @IsString(NON_EMPTY) @MinLength(1, NON_EMPTY) readonly role: string;
  @IsString(NON_EMPTY) @MinLength(1, NON_EMPTY) readonly department: string;
  @IsString(NON_EMPTY)
  @Matches(/^\d{6}$/, { message: '$property must be a 6-digit division code' })
  readonly jurisdiction: string;
}

/** Throws naming the first faulty entry and field (never a key's value). */
export function apiKeysFromJson(text: string): ApiKeys {
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    throw new Error('LEDGER_API_KEYS must be a JSON array of {key, userId, role, department, jurisdiction}');
  }
  if (!Array.isArray(entries)) throw new Error('LEDGER_API_KEYS must be a JSON array');
  return new Map(
    entries.map((plain: unknown, i) => {
      if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
        throw new Error(
          `LEDGER_API_KEYS[${i}] must be an object {key, userId, role, department, jurisdiction}`,
        );
      const entry = plainToInstance(ApiKeyEntry, plain);
      const [error] = validateSync(entry, { stopAtFirstError: true });
      if (error) throw new Error(`LEDGER_API_KEYS[${i}].${Object.values(error.constraints ?? {})[0]}`);
      const { key, userId, role, department, jurisdiction } = entry;
      return [key, { userId, role, department, jurisdiction }];
    }),
  );
}
