// Emmett's event stores (@event-driven-io/emmett-postgresql 0.42.0, emmett-sqlite 0.42.4) behind the peer
// benchmark's interface. Commands go through Emmett's CommandHandler; the global read uses
// `readMessagesBatch`, the read its consumers poll with.
import { dumbo } from '@event-driven-io/dumbo';
import { CommandHandler, STREAM_DOES_NOT_EXIST, type AppendToStreamOptions } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  readMessagesBatch as readPostgresBatch,
} from '@event-driven-io/emmett-postgresql';
import {
  getSQLiteEventStore,
  readMessagesBatch as readSqliteBatch,
  sqliteConnection,
  type SQLiteEventStore,
} from '@event-driven-io/emmett-sqlite';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { SideOptions } from './side';
import {
  commandMetadata,
  evolveTally,
  honourRecorded,
  initialTally,
  type PeerEvent,
  type PeerStore,
  type Tally,
} from './workloads';

const handleHonour = CommandHandler<Tally, ReturnType<typeof honourRecorded> & { metadata: object }>({
  evolve: evolveTally,
  initialState: initialTally,
});
const decide = (state: Tally) => ({ ...honourRecorded(state), metadata: commandMetadata() });

/** Emmett counts a stream's events (1-based versions); "must not exist" is its own marker. */
const appendOptions = (expected: number | undefined): AppendToStreamOptions | undefined =>
  expected === undefined
    ? undefined
    : { expectedStreamVersion: expected === 0 ? STREAM_DOES_NOT_EXIST : BigInt(expected) };

/**
 * Emmett 0.42.0 indexes its messages table by its primary key only, so every page of a global read sorts what
 * lies past the cursor. 0.42.4 adds these two indexes for its consumers' poll (its migration 0_42_4); they are
 * created here unless `--emmett-as-released`, so the comparison is with Emmett as its next patch ships.
 */
const POLL_INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_messages_global_position ON emt_messages(global_position)',
  'CREATE INDEX IF NOT EXISTS idx_messages_transaction_id_global_position ON emt_messages(transaction_id, global_position)',
];

export async function openEmmett(options: SideOptions): Promise<PeerStore> {
  return options.backend === 'postgres' ? openPostgres(options) : openSqlite(options);
}

async function openPostgres(options: SideOptions): Promise<PeerStore> {
  // Emmett creates its tables in the first schema of the search path: a schema of its own for this run.
  const url = new URL(options.databaseUrl);
  url.searchParams.set('options', `-c search_path=${options.schema}`);
  const connectionString = url.toString();
  const pool = new Pool({ connectionString, max: 16 }); // as many connections as the ledger's store gets
  const database = dumbo({ connectionString, pool });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { dumbo: database } });
  await store.schema.migrate();
  if (!options.emmettAsReleased) for (const sql of POLL_INDEXES) await pool.query(sql);
  return {
    async append(streamId, events, expected) {
      await store.appendToStream(streamId, [...events], appendOptions(expected));
    },
    async readAll(count, page) {
      let read = 0;
      for (let after = 0n; read < count;) {
        const batch = await readPostgresBatch(database.execute, {
          after,
          batchSize: Math.min(page, count - read),
        });
        if (batch.messages.length === 0) break;
        read += batch.messages.length;
        after = batch.currentGlobalPosition;
      }
      return read;
    },
    async command(streamId) {
      await handleHonour(store, streamId, decide);
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/**
 * Opened by file name, Emmett's SQLite store opens a connection per operation with no busy timeout: on this
 * machine even one appender at a time failed with SQLITE_BUSY. So it gets one shared connection (its
 * `connectionOptions.singleton`), and appends take turns on it: concurrent transactions on one Emmett
 * connection nest into one, acknowledged before anything commits, which the ledger's store never does.
 */
async function openSqlite(options: SideOptions): Promise<PeerStore> {
  const fileName = join(options.dataDir, 'emmett.sqlite');
  const connection = sqliteConnection({ fileName });
  const store = getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } });
  await store.schema.migrate();
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  const appendInTurn: SQLiteEventStore = {
    ...store,
    appendToStream: (streamName, events, appendOptions) =>
      inTurn(() => store.appendToStream(streamName, events, appendOptions)),
  };
  return {
    async append(streamId, events, expected) {
      await appendInTurn.appendToStream(streamId, [...events] as PeerEvent[], appendOptions(expected));
    },
    async readAll(count, page) {
      let read = 0;
      for (let after = 0n; read < count;) {
        const batch = await readSqliteBatch(connection, { after, batchSize: Math.min(page, count - read) });
        if (batch.messages.length === 0) break;
        read += batch.messages.length;
        after = batch.currentGlobalPosition;
      }
      return read;
    },
    async command(streamId) {
      await handleHonour(appendInTurn, streamId, decide);
    },
    async close() {
      connection.close();
    },
  };
}
