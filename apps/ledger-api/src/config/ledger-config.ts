// Configuration from environment variables, read once at start. Defaults give a working embedded ledger.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCalendarFile, type CalendarYearData } from '@ledger/application';
import { defaultPolicy } from '@ledger/domain';
import type { KafkaSecurity } from '@ledger/messaging';

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
  /** Key of the HMAC that turns identifiers into subject ids. Fixed for the life of a deployment. */
  readonly idSecret: string;
  /** Credit policy version applied to new decisions. */
  readonly policyVersion: string;
  /** Kafka bootstrap servers, comma-separated; absent → publishing is off. */
  readonly kafkaBrokers?: string;
  /** TLS and SASL to the brokers (KAFKA_SSL_CA_FILE, KAFKA_SASL_*); empty → plaintext. */
  readonly kafkaSecurity: KafkaSecurity;
  /**
   * Run the feed followers (read models, scheduler, messaging, digests) in this process. Off for an
   * API-only process when they run elsewhere (and for measuring the command path alone).
   */
  readonly runWorkers: boolean;
  /** Pause between two runs of the deadline scheduler. */
  readonly schedulerIntervalMs: number;
  /** Years to record at start from LEDGER_CALENDAR_FILE, if the ledger does not know them yet. */
  readonly calendarFile?: { readonly path: string; readonly years: readonly CalendarYearData[] };
  /** Pause between two reads of the calendar stream (amendments recorded by other processes). */
  readonly calendarRefreshMs: number;
}

export const DEVELOPMENT_ID_SECRET = 'development-only-id-secret';

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
    idSecret: env.LEDGER_ID_SECRET || DEVELOPMENT_ID_SECRET,
    policyVersion: env.LEDGER_POLICY_VERSION || defaultPolicy.version,
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
    kafkaSecurity: kafkaSecurity(env),
    runWorkers: oneOf(env.LEDGER_WORKERS, ['on', 'off'] as const, 'on', 'LEDGER_WORKERS') === 'on',
    schedulerIntervalMs: integer(env.LEDGER_SCHEDULER_INTERVAL_MS, 60_000, 'LEDGER_SCHEDULER_INTERVAL_MS'),
    calendarFile: env.LEDGER_CALENDAR_FILE ? calendarFile(env.LEDGER_CALENDAR_FILE) : undefined,
    calendarRefreshMs: integer(env.LEDGER_CALENDAR_REFRESH_MS, 60_000, 'LEDGER_CALENDAR_REFRESH_MS'),
  };
}

/** Read at once, so a file that cannot be read or has the wrong shape stops the start, naming itself. */
function calendarFile(path: string): LedgerConfig['calendarFile'] {
  try {
    return { path, years: readCalendarFile(path) };
  } catch (error) {
    throw new Error(`LEDGER_CALENDAR_FILE ${(error as Error).message}`);
  }
}

function kafkaSecurity(env: NodeJS.ProcessEnv): KafkaSecurity {
  const caFile = env.KAFKA_SSL_CA_FILE || undefined;
  if (caFile && !existsSync(caFile)) throw new Error(`KAFKA_SSL_CA_FILE ${caFile} does not exist`);
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase() || undefined;
  const username = env.KAFKA_SASL_USERNAME || undefined;
  const password = env.KAFKA_SASL_PASSWORD || undefined;
  if (!mechanism) {
    if (username || password)
      throw new Error('KAFKA_SASL_USERNAME/PASSWORD need KAFKA_SASL_MECHANISM=scram-sha-512');
    return caFile ? { ssl: { caFile } } : {};
  }
  if (mechanism !== 'scram-sha-512')
    throw new Error(`KAFKA_SASL_MECHANISM must be scram-sha-512, got "${env.KAFKA_SASL_MECHANISM}"`);
  if (!username || !password)
    throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  // SASL always travels over TLS (the system's CAs unless KAFKA_SSL_CA_FILE names one).
  return { ssl: { caFile }, sasl: { mechanism, username, password } };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  name: string,
): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
