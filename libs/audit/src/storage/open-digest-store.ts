// The digest store that goes with an event store: same database, same connection.
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { DigestStore } from '../digest-store';
import { PostgresDigestStore } from './postgres-digest-store';
import { SqliteDigestStore } from './sqlite-digest-store';

export const DEFAULT_CHUNK_SIZE = 1024;

export class DigestsUnsupported extends Error {
  readonly code = 'AUDIT.DIGESTS_UNSUPPORTED';
  constructor(kind: string) {
    super(
      `Digests are kept beside PostgreSQL or the embedded store, not ${kind}; verify chains only, or publish digests elsewhere`,
    );
  }
}

export async function openDigestStore(
  store: EventStore,
  options: { chunkSize?: number } = {},
): Promise<DigestStore> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || (chunkSize & (chunkSize - 1)) !== 0) {
    throw new Error(`chunkSize must be a power of two, got ${chunkSize}`);
  }
  if (store instanceof PostgresEventStore)
    return PostgresDigestStore.open({ pool: store.pool, schema: store.schema, chunkSize });
  if (store instanceof SqliteEventStore) return SqliteDigestStore.open({ db: store.db, chunkSize });
  throw new DigestsUnsupported(store.kind);
}
