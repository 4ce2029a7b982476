// Leases of the feed followers in PostgreSQL: a row per lease with its holder, an expiry (the server's
// clock) and a fencing token that grows with every new holder. A process runs the followers only while it
// holds the lease and renews it; the read models' and checkpoints' writes check the token in the same
// statement (PostgresDocumentStore.fenceWith), so a process paused past its lease (SIGSTOP, a long GC, a
// frozen VM) that wakes up cannot write with the stale one: its write fails with LEASE.LOST.
import { keepPoolErrorsHandled } from '@ledger/event-store';
import { Pool } from 'pg';

export interface LeaseGrant {
  readonly name: string;
  readonly holder: string;
  readonly token: number;
}

/** The SQLSTATE the fence raises when a write carries a token that no longer holds the lease. */
export const LEASE_LOST_SQLSTATE = 'LD001';

export class PostgresLeases {
  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  static async open(options: { connectionString: string; schema?: string }): Promise<PostgresLeases> {
    const schema = options.schema ?? 'ledger';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
    // Its own small pool: renewals must not queue behind the read models' writes.
    const pool = new Pool({
      connectionString: options.connectionString,
      max: 2,
      application_name: 'credit-ledger',
    });
    keepPoolErrorsHandled(pool);
    try {
      await ensureLeaseSchema(pool, schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresLeases(pool, schema);
  }

  /** Takes the lease when it is free or expired (a new token), else undefined. */
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    const { rows } = await this.pool.query<{ token: number }>(
      `INSERT INTO ${this.schema}.follower_leases AS l (name, holder, token, expires_at, acquired_at)
       VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond', now())
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = l.token + 1,
         expires_at = excluded.expires_at, acquired_at = now()
       WHERE l.expires_at <= now()
       RETURNING token::int AS token`,
      [name, holder, ttlMs],
    );
    return rows[0] ? { name, holder, token: Number(rows[0].token) } : undefined;
  }

  /** Extends the lease; false when it was lost (expired and taken, or expired). */
  async renew(grant: LeaseGrant, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.schema}.follower_leases SET expires_at = now() + $4 * interval '1 millisecond'
       WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now()`,
      [grant.name, grant.holder, grant.token, ttlMs],
    );
    return rowCount === 1;
  }

  /** Gives the lease up at once (graceful shutdown), so another process need not wait for it to expire. */
  async release(grant: LeaseGrant): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.follower_leases SET expires_at = now()
       WHERE name = $1 AND holder = $2 AND token = $3`,
      [grant.name, grant.holder, grant.token],
    );
  }

  async holderOf(name: string): Promise<{ holder: string; token: number; expiresAt: string } | undefined> {
    const { rows } = await this.pool.query<{ holder: string; token: number; expires_at: Date }>(
      `SELECT holder, token::int AS token, expires_at FROM ${this.schema}.follower_leases
       WHERE name = $1 AND expires_at > now()`,
      [name],
    );
    const row = rows[0];
    return row
      ? { holder: row.holder, token: Number(row.token), expiresAt: row.expires_at.toISOString() }
      : undefined;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The lease table and the fence function the fenced writes call (idempotent; under the migration lock). */
export async function ensureLeaseSchema(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7011000)');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.follower_leases (
         name text PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL,
         expires_at timestamptz NOT NULL, acquired_at timestamptz NOT NULL)`,
    );
    // FOR SHARE: a takeover (UPDATE of the row) waits for a fenced write in flight, or the write waits for
    // the takeover and then fails. Expiry by the server's clock: a lease past it fences even before it is taken.
    await client.query(
      `CREATE OR REPLACE FUNCTION ${schema}.lease_fence(p_name text, p_token bigint) RETURNS boolean
       LANGUAGE plpgsql AS $fn$
       BEGIN
         PERFORM 1 FROM ${schema}.follower_leases
           WHERE name = p_name AND token = p_token AND expires_at > clock_timestamp() FOR SHARE;
         IF NOT FOUND THEN
           RAISE EXCEPTION 'LEASE.LOST: lease % with token % is no longer held', p_name, p_token
             USING ERRCODE = '${LEASE_LOST_SQLSTATE}';
         END IF;
         RETURN true;
       END $fn$`,
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock(7011000)').catch(() => undefined);
    client.release();
  }
}
