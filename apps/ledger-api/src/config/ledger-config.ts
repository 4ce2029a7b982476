// Configuration from environment variables, read once at start. Defaults give a working embedded ledger.
import { resolve } from 'node:path';

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export interface LedgerConfig {
  readonly host: string;
  readonly port: number;
  /** PostgreSQL connection string; absent → the embedded store in `dataDir`. */
  readonly databaseUrl?: string;
  readonly databaseSchema: string;
  readonly dataDir: string;
  readonly maxEventBytes: number;
  readonly maxBodyBytes: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env.PORT, 3000, 'PORT'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA ?? 'ledger',
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    maxEventBytes: integer(env.LEDGER_MAX_EVENT_BYTES, 256 * 1024, 'LEDGER_MAX_EVENT_BYTES'),
    maxBodyBytes: integer(env.LEDGER_MAX_BODY_BYTES, 256 * 1024, 'LEDGER_MAX_BODY_BYTES'),
    logLevel: oneOf(env.LOG_LEVEL, ['debug', 'info', 'warn', 'error'] as const, 'info', 'LOG_LEVEL'),
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
