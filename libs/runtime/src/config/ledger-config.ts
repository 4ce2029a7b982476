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
  algorithmsFromList,
  ASYMMETRIC_ALGORITHMS,
  claimListFrom,
  DEFAULT_CLAIMS,
  oidcSettingsOf,
  roleMapFromJson,
  type LedgerRole,
  type OidcSettings,
} from './oidc';
import {
  Env,
  NonNegativeInteger,
  OneOf,
  OnOff,
  Parsed,
  PositiveNumber,
  PowerOfTwo,
  readEnvironment,
  secretsLeftAtDefault,
} from './environment';

export const DEVELOPMENT_ID_SECRET = 'development-only-id-secret';
/** Accepted only outside production when LEDGER_API_KEYS is unset, so a local ledger works at once. */
export const DEVELOPMENT_API_KEY = 'dev-national-admin';
/** Shortest secret production accepts (LEDGER_ID_SECRET, static API keys): 32 characters. */
export const MIN_SECRET_LENGTH = 32;

export const isProduction = (env: NodeJS.ProcessEnv): boolean => env.NODE_ENV === 'production';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class LedgerConfig {
  // Where the API (and the worker's /health) listens.
  @Env('HOST') readonly host: string = '127.0.0.1';
  @Env('PORT') @NonNegativeInteger() readonly port: number = 3000;
  /** Largest HTTP body (413 above). */
  @Env('LEDGER_MAX_BODY_BYTES') @NonNegativeInteger() readonly maxBodyBytes: number = 256 * 1024;
  /** Deepest nesting of arrays and objects in a JSON body (400 INPUT.TOO_DEEP above). */
  @Env('LEDGER_MAX_JSON_DEPTH') @PositiveNumber() readonly maxJsonDepth: number = 32;
  /** Callers and the actor each key stands for; unset → the API accepts the development key only. */
  @Env('LEDGER_API_KEYS', { secret: true }) @Parsed(apiKeysFromJson) readonly apiKeys?: ApiKeys;

  /** Pause between two reads of the managed keys' stream (keys issued or revoked by other processes). */
  @Env('LEDGER_API_KEY_REFRESH_MS') @NonNegativeInteger() readonly apiKeyRefreshMs: number = 5_000;

  // Sign-in with the province's identity provider (bearer JWTs); see oidc.ts and the README.
  /** Issuer URL (discovery at `<issuer>/.well-known/openid-configuration`); unset → no bearer tokens. */
  @Env('LEDGER_OIDC_ISSUER') @IsOptional() @IsString() readonly oidcIssuer?: string;
  /** The `aud` every token must carry. */
  @Env('LEDGER_OIDC_AUDIENCE') @IsOptional() @IsString() readonly oidcAudience?: string;
  /** Accepted signature algorithms, comma-separated; asymmetric only. */
  @Env('LEDGER_OIDC_ALGORITHMS') @Parsed(algorithmsFromList) readonly oidcAlgorithms: readonly string[] = [
    ...ASYMMETRIC_ALGORITHMS,
  ];
  /** Tolerance on exp/nbf/iat, at most 300. */
  @Env('LEDGER_OIDC_CLOCK_SKEW_SECONDS') @NonNegativeInteger() readonly oidcClockSkewSeconds: number = 30;
  /** Claims naming the caller, first present wins. */
  @Env('LEDGER_OIDC_SUBJECT_CLAIMS') @Parsed(claimListFrom) readonly oidcSubjectClaims: readonly string[] =
    DEFAULT_CLAIMS.subject;
  /** Dotted path to the array of role names. */
  @Env('LEDGER_OIDC_ROLES_CLAIM') readonly oidcRolesClaim: string = DEFAULT_CLAIMS.roles;
  @Env('LEDGER_OIDC_DEPARTMENT_CLAIM') readonly oidcDepartmentClaim: string = DEFAULT_CLAIMS.department;
  @Env('LEDGER_OIDC_JURISDICTION_CLAIM') readonly oidcJurisdictionClaim: string = DEFAULT_CLAIMS.jurisdiction;
  /** {"provider role": "ledger role"}; unnamed roles keep their names. */
  @Env('LEDGER_OIDC_ROLE_MAP') @Parsed(roleMapFromJson) readonly oidcRoleMap?: ReadonlyMap<
    string,
    LedgerRole
  >;
  /** The settings above as one value (set by loadConfig); undefined without LEDGER_OIDC_ISSUER. */
  readonly oidc?: OidcSettings;

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

  // The HTTP edge: TLS, browsers, timeouts (apps/ledger-api/src/common/http-security.ts).
  /** PEM certificate chain and key; both set → the API serves HTTPS only (and sends HSTS). */
  @Env('LEDGER_TLS_CERT_FILE') @IsOptional() @IsString() readonly tlsCertFile?: string;
  @Env('LEDGER_TLS_KEY_FILE') @IsOptional() @IsString() readonly tlsKeyFile?: string;
  /** Browser origins allowed to call the API (CORS), comma-separated; unset → no CORS headers at all. */
  @Env('LEDGER_CORS_ORIGINS') @Parsed(corsOrigins) readonly corsOrigins: readonly string[] = [];
  /** Longest a client may take to send a whole request (slow senders are cut off; 408). */
  @Env('LEDGER_HTTP_REQUEST_TIMEOUT_MS') @NonNegativeInteger() readonly httpRequestTimeoutMs: number = 30_000;
  /** Longest a connection may stay silent, a request being handled included, before it is closed. */
  @Env('LEDGER_HTTP_CONNECTION_TIMEOUT_MS') @NonNegativeInteger() readonly httpConnectionTimeoutMs: number =
    120_000;
  /** Longest a kept-alive connection waits idle for its next request. */
  @Env('LEDGER_HTTP_KEEP_ALIVE_TIMEOUT_MS') @NonNegativeInteger() readonly httpKeepAliveTimeoutMs: number =
    5_000;
  /** Requests served on one connection before it is closed (0: no limit). */
  @Env('LEDGER_HTTP_MAX_REQUESTS_PER_SOCKET')
  @NonNegativeInteger()
  readonly httpMaxRequestsPerSocket: number = 1_000;
  /** Open connections at once; the server refuses more (0: no limit). */
  @Env('LEDGER_HTTP_MAX_CONNECTIONS') @NonNegativeInteger() readonly httpMaxConnections: number = 1_024;

  // Rate limits (apps/ledger-api/src/common/rate-limits.ts): requests per window; 0 turns one limit off.
  /** Off only where a load test or a trusted gateway limits instead. */
  @Env('LEDGER_RATE_LIMITS') @OnOff() readonly rateLimits: boolean = true;
  @Env('LEDGER_RATE_LIMIT_WINDOW_MS') @PositiveNumber() readonly rateLimitWindowMs: number = 60_000;
  /** Per presented credential (a hash of the API key or token), whoever it turns out to be. */
  @Env('LEDGER_RATE_LIMIT_PER_PRINCIPAL') @NonNegativeInteger() readonly rateLimitPerPrincipal: number =
    3_000;
  /** Per client address, all requests. */
  @Env('LEDGER_RATE_LIMIT_PER_ADDRESS') @NonNegativeInteger() readonly rateLimitPerAddress: number = 6_000;
  /** Per address, requests without a credential (health, public disclosures and every refusal for lack of one). */
  @Env('LEDGER_RATE_LIMIT_ANONYMOUS') @NonNegativeInteger() readonly rateLimitAnonymous: number = 300;
  /** Failed authentications (401 answers) per address; above it the address gets 429 for the rest of the window. */
  @Env('LEDGER_RATE_LIMIT_FAILED_AUTH') @NonNegativeInteger() readonly rateLimitFailedAuth: number = 20;
  /** Per principal, on routes marked @RateLimited('lookup') (finding natural persons by ID number). */
  @Env('LEDGER_RATE_LIMIT_LOOKUPS') @NonNegativeInteger() readonly rateLimitLookups: number = 60;
  /**
   * Proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDRs); unset → the
   * connection's address is the client's, as it must be when nothing trusted sits in front.
   */
  @Env('LEDGER_TRUSTED_PROXIES') @IsOptional() @IsString() readonly trustedProxies?: string;

  // Followers of the feed.
  /**
   * Run the feed followers (read models, scheduler, messaging, digests) in this process. Off for an
   * API-only process when they run elsewhere (apps/ledger-worker), and for measuring the command path alone.
   */
  @Env('LEDGER_WORKERS') @OnOff() readonly runWorkers: boolean = true;
  /**
   * On PostgreSQL the followers run in the one process holding their lease (any number of processes may
   * try): how long a lease lasts without renewal, i.e. how soon another process takes over from one killed.
   */
  @Env('LEDGER_LEASE_TTL_MS') @PositiveNumber() readonly leaseTtlMs: number = 4_000;
  /** How often a process standing by tries to take the lease. */
  @Env('LEDGER_LEASE_POLL_MS') @PositiveNumber() readonly leasePollMs: number = 500;
  /**
   * Prometheus metrics at GET /metrics (permission `metrics.read`; README "Operations: metrics"). Off: nothing
   * is measured and /metrics answers 404.
   */
  @Env('LEDGER_METRICS') @OnOff() readonly metricsEnabled: boolean = true;
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
  /**
   * Deprecated: on PostgreSQL the followers' lease decides which process makes and publishes digests.
   * Still honoured (off → no digests in this process), with a warning.
   */
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
 * Production mode (NODE_ENV=production): every default secret and the development key are refused, each
 * named (never its value), so a deployment that forgot a variable does not start instead of sharing the
 * development values with every other such deployment.
 */
function productionProblems(config: LedgerConfig, env: NodeJS.ProcessEnv): string[] {
  if (!isProduction(env)) return [];
  const problems = secretsLeftAtDefault(LedgerConfig, env).map(
    (name) => `${name} is not set: production refuses its development default (NODE_ENV=production)`,
  );
  if (!problems.some((p) => p.startsWith('LEDGER_ID_SECRET')) && config.idSecret.length < MIN_SECRET_LENGTH)
    problems.push(`LEDGER_ID_SECRET must be at least ${MIN_SECRET_LENGTH} characters in production`);
  if (config.idSecret === DEVELOPMENT_ID_SECRET && env.LEDGER_ID_SECRET)
    problems.push('LEDGER_ID_SECRET is the development value: production refuses it');
  if (!config.apiKeys)
    problems.push(
      `LEDGER_API_KEYS is not set: production never accepts the development key "${DEVELOPMENT_API_KEY}"; ` +
        'set LEDGER_API_KEYS (static keys), or LEDGER_API_KEYS=[] to use only keys managed with `ledger-cli keys` ' +
        'and tokens of LEDGER_OIDC_ISSUER',
    );
  else
    [...config.apiKeys.keys()].forEach((key, i) => {
      if (key === DEVELOPMENT_API_KEY)
        problems.push(`LEDGER_API_KEYS[${i}] is the development key: production refuses it`);
      else if (key.length < MIN_SECRET_LENGTH)
        problems.push(
          `LEDGER_API_KEYS[${i}].key must be at least ${MIN_SECRET_LENGTH} characters in production`,
        );
    });
  return problems;
}

/**
 * Checks over the configuration as a whole, once every variable is valid on its own; each returns what is
 * wrong, naming the variables.
 */
const CONFIG_CHECKS: readonly ((
  config: LedgerConfig,
  env: NodeJS.ProcessEnv,
) => string | readonly string[] | undefined)[] = [
  productionProblems,
  (config, env) => {
    if (!isProduction(env)) return undefined;
    if (!config.signingKeys) return 'LEDGER_SIGNING_KEYS must be set in production (NODE_ENV=production)';
    const development = [...config.signingKeys.keys].find(([, key]) => key.equals(DEVELOPMENT_SIGNING_KEY));
    return development
      ? `LEDGER_SIGNING_KEYS.${development[0]} is the development key, refused in production`
      : undefined;
  },
  (config, env) => {
    if (!isProduction(env)) return undefined;
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
  (config) =>
    !config.tlsCertFile === !config.tlsKeyFile
      ? undefined
      : 'LEDGER_TLS_CERT_FILE and LEDGER_TLS_KEY_FILE go together: set both to serve HTTPS, or neither',
  (config) => {
    try {
      oidcSettingsOf(config);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  },
];

/** `https://a.example, http://localhost:5173` → each origin, checked to be scheme://host[:port] and nothing else. */
function corsOrigins(text: string): string[] {
  const origins = text
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin))
      throw new Error(
        `LEDGER_CORS_ORIGINS: ${origin} is not an origin (scheme://host[:port], no path, no *)`,
      );
  }
  return origins;
}

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
  return Object.assign(config, { kafkaSecurity: kafkaSecurityOf(config), oidc: oidcSettingsOf(config) });
}
