// Settings of the audit layer, from the same environment as the rest of the ledger.
export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

export interface AuditConfig {
  /** Make a digest once this many events arrived since the last one (LEDGER_DIGEST_EVERY_EVENTS). */
  readonly digestEveryEvents: number;
  /** …or once this many seconds passed with at least one new event (LEDGER_DIGEST_EVERY_SECONDS). */
  readonly digestEverySeconds: number;
  /** Leaves per stored subtree root (power of two, fixed for the life of a ledger; LEDGER_DIGEST_CHUNK_SIZE). */
  readonly digestChunkSize: number;
  /** Run the digest scheduler in this process (LEDGER_DIGESTS=off in all but one process of a deployment). */
  readonly digestsEnabled: boolean;
  /** Kafka topic of the digests (default credit.digests.v1; LEDGER_DIGEST_TOPIC). Published when KAFKA_BROKERS is set. */
  readonly digestTopic?: string;
}

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const chunk = positive(env.LEDGER_DIGEST_CHUNK_SIZE, 1024, 'LEDGER_DIGEST_CHUNK_SIZE');
  if ((chunk & (chunk - 1)) !== 0)
    throw new Error(`LEDGER_DIGEST_CHUNK_SIZE must be a power of two, got ${chunk}`);
  return {
    digestEveryEvents: positive(env.LEDGER_DIGEST_EVERY_EVENTS, 10_000, 'LEDGER_DIGEST_EVERY_EVENTS'),
    digestEverySeconds: positive(env.LEDGER_DIGEST_EVERY_SECONDS, 60, 'LEDGER_DIGEST_EVERY_SECONDS'),
    digestChunkSize: chunk,
    digestsEnabled: (env.LEDGER_DIGESTS ?? 'on') !== 'off',
    digestTopic: env.LEDGER_DIGEST_TOPIC || undefined,
  };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got "${value}"`);
  return parsed;
}
