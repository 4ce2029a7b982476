// The ledger's configuration: one schema for every process (API, worker, CLI), read once at start from the
// environment. Each field names its variable and its default; defaults give a working embedded ledger.
// A new setting is one field here (and a row in the README's configuration table).
import { resolve } from 'node:path';
import { IsOptional, IsString } from 'class-validator';
import { defaultPolicy } from '@ledger/domain';
import { DEVELOPMENT_SIGNING_KEY, EventSigning } from '@ledger/event-store';
import type { KafkaSecurity } from '@ledger/messaging';
import { apiKeysFromJson, type ApiKeys } from './api-keys';
import { calendarFile, type CalendarFile } from './calendar-file';
import { kafkaSecurityOf } from './kafka-security';
import { DigestSigning, type DigestKeyConfig } from '@ledger/audit';
import { digestKeysFromJson, signingKeysFromJson, type SigningKeyRing } from './signing-keys';
import {
  Env,
  NonNegativeInteger,
  OneOf,
  OnOff,
  Parsed,
  PositiveNumber,
  PowerOfTwo,
  readEnvironment,
} from './environment';

export const DEVELOPMENT_ID_SECRET = 'development-only-id-secret';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class LedgerConfig {
  // Where the API (and the worker's /health) listens.
  @Env('HOST') readonly host: string = '127.0.0.1';
  @Env('PORT') @NonNegativeInteger() readonly port: number = 3000;
  /** Largest HTTP body (413 above). */
  @Env('LEDGER_MAX_BODY_BYTES') @NonNegativeInteger() readonly maxBodyBytes: number = 256 * 1024;
  /** Callers and the actor each key stands for; unset → the API accepts the development key only. */
  @Env('LEDGER_API_KEYS', { secret: true }) @Parsed(apiKeysFromJson) readonly apiKeys?: ApiKeys;

  // Stores.
  /** PostgreSQL connection string; unset → the embedded store in `dataDir`. */
  @Env('DATABASE_URL', { secret: true }) @IsOptional() @IsString() readonly databaseUrl?: string;
  /** Schema of the store's and read models' tables. */
  @Env('DATABASE_SCHEMA') readonly databaseSchema: string = 'ledger';
  /** Directory of the embedded store (ledger.sqlite, read-models.sqlite). */
  @Env('LEDGER_DATA_DIR') @Parsed((dir) => resolve(dir)) readonly dataDir: string = resolve('./data');
  /** Largest event the store accepts. */
  @Env('LEDGER_MAX_EVENT_BYTES') @NonNegativeInteger() readonly maxEventBytes: number = 256 * 1024;
  /**
   * Keys the appending process signs events with (HMAC-SHA-256), JSON {keyId: base64 secret of ≥ 32 bytes}; the
   * last one listed signs, all verify. Never stored in the database. Unset → the development key (a warning;
   * refused with NODE_ENV=production).
   */
  @Env('LEDGER_SIGNING_KEYS', { secret: true })
  @Parsed((text) => signingKeysFromJson(text))
  readonly signingKeys?: SigningKeyRing;
  /** Rows at or below this position predate signing: accepted unsigned (and reported so); above it, a forgery. */
  @Env('LEDGER_UNSIGNED_UP_TO') @NonNegativeInteger() readonly unsignedUpTo: number = 0;

  // Decisions.
  /** Key of the HMAC that turns identifiers into subject ids. Fixed for the life of a deployment. */
  @Env('LEDGER_ID_SECRET', { secret: true }) readonly idSecret: string = DEVELOPMENT_ID_SECRET;
  /** Credit policy version applied to new decisions (recorded in each event). */
  @Env('LEDGER_POLICY_VERSION') readonly policyVersion: string = defaultPolicy.version;
  /** Years to record at start from their State Council notices, if the ledger does not know them yet. */
  @Env('LEDGER_CALENDAR_FILE') @Parsed(calendarFile) readonly calendarFile?: CalendarFile;
  /** Pause between two reads of the calendar stream (amendments recorded by other processes). */
  @Env('LEDGER_CALENDAR_REFRESH_MS') @NonNegativeInteger() readonly calendarRefreshMs: number = 60_000;

  /** debug, info, warn, error; logs are JSON lines on stdout. */
  @Env('LOG_LEVEL') @OneOf(LOG_LEVELS) readonly logLevel: LogLevel = 'info';

  // Followers of the feed.
  /**
   * Run the feed followers (read models, scheduler, messaging, digests) in this process. Off for an
   * API-only process when they run elsewhere (apps/ledger-worker), and for measuring the command path alone.
   */
  @Env('LEDGER_WORKERS') @OnOff() readonly runWorkers: boolean = true;
  /** Pause between two runs of the deadline scheduler. */
  @Env('LEDGER_SCHEDULER_INTERVAL_MS') @NonNegativeInteger() readonly schedulerIntervalMs: number = 60_000;
  /** Kafka bootstrap servers, comma-separated; unset → publishing is off. */
  @Env('KAFKA_BROKERS') @IsOptional() @IsString() readonly kafkaBrokers?: string;
  /** CA of the brokers' certificates; set alone → TLS without SASL. */
  @Env('KAFKA_SSL_CA_FILE') @IsOptional() @IsString() readonly kafkaSslCaFile?: string;
  /** scram-sha-512; set → SASL over TLS with the user and password below. */
  @Env('KAFKA_SASL_MECHANISM') @IsOptional() @IsString() readonly kafkaSaslMechanism?: string;
  @Env('KAFKA_SASL_USERNAME') @IsOptional() @IsString() readonly kafkaSaslUsername?: string;
  @Env('KAFKA_SASL_PASSWORD', { secret: true }) @IsOptional() @IsString() readonly kafkaSaslPassword?: string;

  /** TLS and SASL to the brokers, from the four variables above (set by loadConfig); empty → plaintext. */
  readonly kafkaSecurity: KafkaSecurity = {};

  // Digests (libs/audit).
  /** Make a digest once this many events arrived since the last one. */
  @Env('LEDGER_DIGEST_EVERY_EVENTS') @PositiveNumber() readonly digestEveryEvents: number = 10_000;
  /** …or once this many seconds passed with at least one new event. */
  @Env('LEDGER_DIGEST_EVERY_SECONDS') @PositiveNumber() readonly digestEverySeconds: number = 60;
  /** Leaves per stored subtree root; fixed for the life of a ledger. */
  @Env('LEDGER_DIGEST_CHUNK_SIZE') @PowerOfTwo() readonly digestChunkSize: number = 1024;
  /** Make and publish digests in this process (off in all but one process of a deployment). */
  @Env('LEDGER_DIGESTS') @OnOff() readonly digestsEnabled: boolean = true;
  /**
   * Ed25519 keys every digest is signed with: JSON [{kid, privateKey: base64 32-byte seed, notBefore, notAfter?}]
   * (retired keys as {kid, publicKey, notBefore, notAfter}); the key valid now that became valid last signs.
   * Unset → the development key (a warning; refused with NODE_ENV=production).
   */
  @Env('LEDGER_DIGEST_SIGNING_KEYS', { secret: true })
  @Parsed(digestKeysFromJson)
  readonly digestSigningKeys?: DigestKeyConfig[];
  /** Kafka topic of the digests; unset → credit.digests.v1. */
  @Env('LEDGER_DIGEST_TOPIC') @IsOptional() @IsString() readonly digestTopic?: string;

  // ledger-cli.
  /** Who the CLI's reads of natural persons' records are logged as; unset → the OS user. */
  @Env('LEDGER_CLI_USER') @IsOptional() @IsString() readonly cliUser?: string;
}

/**
 * Checks over the configuration as a whole, once every variable is valid on its own; each returns what is
 * wrong, naming the variables. The production-mode checks belong here (with NODE_ENV=production, refuse
 * the development defaults of LEDGER_API_KEYS and LEDGER_ID_SECRET).
 */
const CONFIG_CHECKS: readonly ((config: LedgerConfig, env: NodeJS.ProcessEnv) => string | undefined)[] = [
  (config, env) => {
    if (env.NODE_ENV !== 'production') return undefined;
    if (!config.signingKeys) return 'LEDGER_SIGNING_KEYS must be set in production (NODE_ENV=production)';
    const development = [...config.signingKeys.keys].find(([, key]) => key.equals(DEVELOPMENT_SIGNING_KEY));
    return development
      ? `LEDGER_SIGNING_KEYS.${development[0]} is the development key, refused in production`
      : undefined;
  },
  (config, env) => {
    if (env.NODE_ENV !== 'production') return undefined;
    if (!config.digestSigningKeys)
      return 'LEDGER_DIGEST_SIGNING_KEYS must be set in production (NODE_ENV=production)';
    return new DigestSigning(config.digestSigningKeys).isDevelopment
      ? 'LEDGER_DIGEST_SIGNING_KEYS holds the development key, refused in production'
      : undefined;
  },
  (config) => {
    try {
      kafkaSecurityOf(config);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  },
];

/** How this process signs and checks events: the configured keys, else the development key. */
export function eventSigningOf(config: LedgerConfig): EventSigning {
  return config.signingKeys
    ? new EventSigning({ ...config.signingKeys, unsignedUpTo: config.unsignedUpTo })
    : EventSigning.development(config.unsignedUpTo);
}

/** How this process signs digests: the configured Ed25519 keys, else the development key. */
export function digestSigningOf(config: LedgerConfig): DigestSigning {
  return config.digestSigningKeys ? new DigestSigning(config.digestSigningKeys) : DigestSigning.development();
}

/** Reads and checks the configuration; throws a ConfigurationError naming every faulty variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const config = readEnvironment(LedgerConfig, env, CONFIG_CHECKS);
  return Object.assign(config, { kafkaSecurity: kafkaSecurityOf(config) });
}
