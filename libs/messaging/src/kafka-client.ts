// One place that builds kafkajs clients, so every part of messaging logs and authenticates the same way.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/** Structured log sink; Nest's `Logger` fits (log/warn/error taking an object). */
export interface MessagingLog {
  log(message: Record<string, unknown>): void;
  warn(message: Record<string, unknown>): void;
  error(message: Record<string, unknown>): void;
}

export const consoleLog: MessagingLog = {
  log: (message) => console.log(JSON.stringify({ level: 'info', ...message })),
  warn: (message) => console.warn(JSON.stringify({ level: 'warn', ...message })),
  error: (message) => console.error(JSON.stringify({ level: 'error', ...message })),
};

export const silentLog: MessagingLog = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** `KAFKA_BROKERS` style: `host:port,host:port`. Empty or absent → none (embedded mode). */
export function parseBrokers(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
}

/** How the ledger proves who it is to the brokers and checks who they are. */
export interface KafkaSecurity {
  /** TLS to the brokers; `caFile` (PEM) is the CA that signed their certificates, else the system's CAs. */
  readonly ssl?: { readonly caFile?: string };
  /** SASL over that TLS connection. */
  readonly sasl?: {
    readonly mechanism: 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

export interface KafkaConnection extends KafkaSecurity {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly log?: MessagingLog;
}

// kafkajs warns on every idempotent producer unless retries are unlimited; ours are bounded on purpose
// (a failed batch is retried from the checkpoint by a fresh producer).
const IGNORED = [/Limiting retries for the idempotent producer/];

export function createKafka({
  brokers,
  clientId = 'credit-ledger',
  log = consoleLog,
  ssl,
  sasl,
}: KafkaConnection): Kafka {
  return new Kafka({
    brokers: [...brokers],
    clientId,
    // SASL never goes over plaintext: with credentials, TLS is on even without a CA file.
    ssl: ssl?.caFile ? { ca: [readFileSync(ssl.caFile, 'utf8')] } : Boolean(ssl || sasl),
    sasl: sasl && { ...sasl },
    logLevel: logLevel.WARN,
    // Our code reports the failures that matter; kafkajs' own errors are context, so they are warnings.
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        if (IGNORED.some((pattern) => pattern.test(entry.message))) return;
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry;
        log.warn({ msg: `kafkajs: ${message}`, namespace, kafkaLevel: logLevel[level], ...rest });
      },
  });
}

/** A failure of the link to Kafka as /health and the logs show it: what happened, and what to check. */
export interface KafkaFailure {
  readonly message: string;
  /** SASL_AUTHENTICATION_FAILED, TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, …; absent when unknown. */
  readonly kind?: string;
  /** For an operator: which setting or ACL to look at. */
  readonly hint?: string;
  readonly at: string;
}

const HINTS: Record<string, (who: string) => string> = {
  SASL_AUTHENTICATION_FAILED: (who) =>
    `the brokers refused the credentials of ${who}: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
  TOPIC_AUTHORIZATION_FAILED: (who) =>
    `${who} lacks an ACL on a topic it needs (infra/kafka/security.js lists the grants)`,
  GROUP_AUTHORIZATION_FAILED: (who) => `${who} lacks READ on its consumer group (infra/kafka/security.js)`,
  CLUSTER_AUTHORIZATION_FAILED: (who) =>
    `${who} lacks a cluster ACL (idempotent producers need none on Kafka 3+)`,
  TLS: () => 'the TLS handshake failed: check KAFKA_SSL_CA_FILE names the CA that signed the brokers',
};

/** What went wrong talking to Kafka, found in kafkajs' nested errors (cause, errors, originalError). */
export function kafkaFailureOf(error: unknown, security: KafkaSecurity = {}, at = new Date()): KafkaFailure {
  const message = error instanceof Error ? error.message : String(error);
  const kind = kindOf(error, 0);
  const who = security.sasl ? `principal "${security.sasl.username}"` : 'this client';
  return {
    message,
    ...(kind ? { kind, hint: HINTS[kind]!(who) } : {}),
    at: at.toISOString(),
  };
}

function kindOf(error: unknown, depth: number): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as {
    name?: string;
    type?: string;
    code?: string;
    message?: string;
    cause?: unknown;
    errors?: unknown[];
    originalError?: unknown;
  };
  if (e.name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
  if (e.type && e.type in HINTS) return e.type;
  if (/certificate|self[- ]signed|SSL|TLS/i.test(e.code ?? '') || /certificate/i.test(e.message ?? ''))
    return 'TLS';
  for (const inner of [e.cause, e.originalError, ...(e.errors ?? [])]) {
    const found = kindOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
