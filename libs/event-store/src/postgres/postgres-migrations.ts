// Versioned schema of the PostgreSQL store. Append-only list: never edit a migration that has shipped.
import type { Pool } from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams and the append function',
    sql: (s) => `
      CREATE SEQUENCE ${s}.events_position_seq;

      CREATE TABLE ${s}.events (
        position    bigint      PRIMARY KEY,
        -- Transaction id of the writer: readers stay below the oldest running one (see read_all).
        tx_id       xid8        NOT NULL,
        stream_id   text        NOT NULL,
        revision    integer     NOT NULL,
        id          uuid        NOT NULL UNIQUE,
        type        text        NOT NULL,
        data        jsonb       NOT NULL,
        metadata    jsonb       NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash   text,
        hash        text        NOT NULL,
        UNIQUE (stream_id, revision)
      );

      CREATE TABLE ${s}.streams (
        stream_id text    PRIMARY KEY,
        revision  integer NOT NULL,
        last_hash text    NOT NULL
      );

      -- One round trip per append (data and metadata come as one JSON array each). The caller computed the hashes against the stream head it observed;
      -- if the head moved meanwhile the function raises 'LDG01' and the caller re-reads.
      --
      -- Why the advisory lock: a reader must never pass an event that commits later with a lower position.
      -- Readers only return rows whose transaction id is below the oldest running transaction. That is
      -- safe only if positions are handed out in transaction-id order, so the xid is taken and the
      -- positions reserved together under a lock held for microseconds, released before commit
      -- (a transaction-scoped lock would serialise every commit's fsync).
      CREATE FUNCTION ${s}.append_events(
        p_stream_id text, p_observed_revision integer, p_ids uuid[], p_types text[], p_data jsonb,
        p_metadata jsonb, p_recorded_at timestamptz, p_prev_hash text, p_hashes text[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        n integer := array_length(p_ids, 1);
        v_tx xid8;
        v_first bigint;
        v_rows integer;
      BEGIN
        PERFORM pg_advisory_lock(7011001);
        BEGIN
          v_tx := pg_current_xact_id();
          v_first := nextval('${s}.events_position_seq');
          IF n > 1 THEN PERFORM setval('${s}.events_position_seq', v_first + n - 1); END IF;
        EXCEPTION WHEN OTHERS THEN
          PERFORM pg_advisory_unlock(7011001);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(7011001);

        IF p_observed_revision < 0 THEN
          INSERT INTO ${s}.streams (stream_id, revision, last_hash)
          VALUES (p_stream_id, n - 1, p_hashes[n]) ON CONFLICT (stream_id) DO NOTHING;
        ELSE
          UPDATE ${s}.streams SET revision = p_observed_revision + n, last_hash = p_hashes[n]
          WHERE stream_id = p_stream_id AND revision = p_observed_revision;
        END IF;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        IF v_rows = 0 THEN
          RAISE EXCEPTION 'stream % moved since it was read', p_stream_id USING ERRCODE = 'LDG01';
        END IF;

        IF n = 1 THEN -- the common case, without the set-returning machinery
          INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
          VALUES (v_first, v_tx, p_stream_id, p_observed_revision + 1, p_ids[1], p_types[1], p_data -> 0, p_metadata -> 0,
                  p_recorded_at, p_prev_hash, p_hashes[1]);
        ELSE
          INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
          SELECT v_first + i - 1, v_tx, p_stream_id, p_observed_revision + i, p_ids[i], p_types[i], p_data -> (i - 1),
                 p_metadata -> (i - 1), p_recorded_at,
                 CASE WHEN i = 1 THEN p_prev_hash ELSE p_hashes[i - 1] END, p_hashes[i]
          FROM generate_series(1, n) AS i;
        END IF;
        RETURN v_first; -- the batch holds positions v_first .. v_first + n - 1
      END $$;
    `,
  },
  {
    version: 2,
    name: 'group commit: many appends per call, no streams table',
    // append_batch writes a group of appends (many streams) in one transaction: one round trip and one commit
    // for many commands. The streams table is gone: it cost an UPDATE per append, and UNIQUE (stream_id,
    // revision) already refuses a write at a revision someone else took. Each append's fate is reported
    // apart, so one refused append never fails the others in its group.
    sql: (s) => `
      DROP FUNCTION ${s}.append_events(text, integer, uuid[], text[], jsonb, jsonb, timestamptz, text, text[]);
      DROP TABLE ${s}.streams;

      -- Per append k: stream, observed head revision (-1: none), its number of events, record time and the
      -- hash before its first event. Per event, flattened in append order: id, type, data, metadata, hash.
      -- Returns per append the position of its first event, or -1 when the stream moved since it was read,
      -- or -2 when an event id is taken (a retry, or a conflict: the caller reads the stored events to tell).
      CREATE FUNCTION ${s}.append_batch(
        p_stream_ids text[], p_observed integer[], p_counts integer[], p_recorded_at timestamptz[],
        p_prev_hashes text[], p_ids uuid[], p_types text[], p_data jsonb, p_metadata jsonb, p_hashes text[]
      ) RETURNS bigint[] LANGUAGE plpgsql AS $$
      DECLARE
        v_total integer := array_length(p_ids, 1);
        v_tx xid8;
        v_position bigint;
        v_offset integer := 0;
        v_n integer;
        v_constraint text;
        v_result bigint[] := '{}';
      BEGIN
        -- Take the xid and reserve positions together (see migration 1 for why), then let go at once. No
        -- exception block guards this: the caller discards a connection whose call failed unexpectedly.
        PERFORM pg_advisory_lock(7011001);
        v_tx := pg_current_xact_id();
        v_position := nextval('${s}.events_position_seq');
        IF v_total > 1 THEN PERFORM setval('${s}.events_position_seq', v_position + v_total - 1); END IF;
        PERFORM pg_advisory_unlock(7011001);

        FOR k IN 1 .. array_length(p_stream_ids, 1) LOOP
          v_n := p_counts[k];
          IF v_n = 1 THEN -- the common case: no subtransaction needed, nothing partial can be left
            INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
            VALUES (v_position, v_tx, p_stream_ids[k], p_observed[k] + 1, p_ids[v_offset + 1], p_types[v_offset + 1],
                    p_data -> v_offset, p_metadata -> v_offset, p_recorded_at[k], p_prev_hashes[k], p_hashes[v_offset + 1])
            ON CONFLICT DO NOTHING;
            IF FOUND THEN
              v_result := v_result || v_position;
            ELSIF EXISTS (SELECT 1 FROM ${s}.events WHERE id = p_ids[v_offset + 1]) THEN
              v_result := v_result || -2::bigint;
            ELSE
              v_result := v_result || -1::bigint;
            END IF;
          ELSE
            BEGIN -- all of the append's events or none
              INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
              SELECT v_position + i - 1, v_tx, p_stream_ids[k], p_observed[k] + i, p_ids[v_offset + i], p_types[v_offset + i],
                     p_data -> (v_offset + i - 1), p_metadata -> (v_offset + i - 1), p_recorded_at[k],
                     CASE WHEN i = 1 THEN p_prev_hashes[k] ELSE p_hashes[v_offset + i - 1] END, p_hashes[v_offset + i]
              FROM generate_series(1, v_n) AS i;
              v_result := v_result || v_position;
            EXCEPTION WHEN unique_violation THEN
              GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
              v_result := v_result || (CASE WHEN v_constraint = 'events_id_key' THEN -2 ELSE -1 END)::bigint;
            END;
          END IF;
          v_position := v_position + v_n; -- a refused append leaves a gap in positions, as a rollback does
          v_offset := v_offset + v_n;
        END LOOP;
        RETURN v_result;
      END $$;
    `,
  },
  {
    version: 3,
    name: 'events signed at write: signature and key id per row',
    // The appending process signs each event's hash (HMAC-SHA-256, key id recorded; the keys are configuration,
    // never here). Rows written before stay without a signature: LEDGER_UNSIGNED_UP_TO says up to where that
    // is legitimate. append_batch takes the signatures (per event) and the key id (per call) besides.
    sql: (s) => `
      ALTER TABLE ${s}.events ADD COLUMN signature text, ADD COLUMN key_id text;
      DROP FUNCTION ${s}.append_batch(text[], integer[], integer[], timestamptz[], text[], uuid[], text[], jsonb, jsonb, text[]);

      CREATE FUNCTION ${s}.append_batch(
        p_stream_ids text[], p_observed integer[], p_counts integer[], p_recorded_at timestamptz[],
        p_prev_hashes text[], p_ids uuid[], p_types text[], p_data jsonb, p_metadata jsonb, p_hashes text[],
        p_signatures text[], p_key_id text
      ) RETURNS bigint[] LANGUAGE plpgsql AS $$
      DECLARE
        v_total integer := array_length(p_ids, 1);
        v_tx xid8;
        v_position bigint;
        v_offset integer := 0;
        v_n integer;
        v_constraint text;
        v_result bigint[] := '{}';
      BEGIN
        -- Take the xid and reserve positions together (see migration 1 for why), then let go at once. No
        -- exception block guards this: the caller discards a connection whose call failed unexpectedly.
        PERFORM pg_advisory_lock(7011001);
        v_tx := pg_current_xact_id();
        v_position := nextval('${s}.events_position_seq');
        IF v_total > 1 THEN PERFORM setval('${s}.events_position_seq', v_position + v_total - 1); END IF;
        PERFORM pg_advisory_unlock(7011001);

        FOR k IN 1 .. array_length(p_stream_ids, 1) LOOP
          v_n := p_counts[k];
          IF v_n = 1 THEN -- the common case: no subtransaction needed, nothing partial can be left
            INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash, signature, key_id)
            VALUES (v_position, v_tx, p_stream_ids[k], p_observed[k] + 1, p_ids[v_offset + 1], p_types[v_offset + 1],
                    p_data -> v_offset, p_metadata -> v_offset, p_recorded_at[k], p_prev_hashes[k], p_hashes[v_offset + 1],
                    p_signatures[v_offset + 1], p_key_id)
            ON CONFLICT DO NOTHING;
            IF FOUND THEN
              v_result := v_result || v_position;
            ELSIF EXISTS (SELECT 1 FROM ${s}.events WHERE id = p_ids[v_offset + 1]) THEN
              v_result := v_result || -2::bigint;
            ELSE
              v_result := v_result || -1::bigint;
            END IF;
          ELSE
            BEGIN -- all of the append's events or none
              INSERT INTO ${s}.events (position, tx_id, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash, signature, key_id)
              SELECT v_position + i - 1, v_tx, p_stream_ids[k], p_observed[k] + i, p_ids[v_offset + i], p_types[v_offset + i],
                     p_data -> (v_offset + i - 1), p_metadata -> (v_offset + i - 1), p_recorded_at[k],
                     CASE WHEN i = 1 THEN p_prev_hashes[k] ELSE p_hashes[v_offset + i - 1] END, p_hashes[v_offset + i],
                     p_signatures[v_offset + i], p_key_id
              FROM generate_series(1, v_n) AS i;
              v_result := v_result || v_position;
            EXCEPTION WHEN unique_violation THEN
              GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
              v_result := v_result || (CASE WHEN v_constraint = 'events_id_key' THEN -2 ELSE -1 END)::bigint;
            END;
          END IF;
          v_position := v_position + v_n; -- a refused append leaves a gap in positions, as a rollback does
          v_offset := v_offset + v_n;
        END LOOP;
        RETURN v_result;
      END $$;
    `,
  },
];

/** Applies pending migrations under an advisory lock, so several processes may start at once. */
export async function migrate(pool: Pool, schema: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7011000)');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((row) => row.version));
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql(schema));
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
        newlyApplied.push(migration.version);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return newlyApplied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(7011000)').catch(() => undefined);
    client.release();
  }
}
