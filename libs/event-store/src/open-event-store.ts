// Chooses the adapter from configuration: KurrentDB or PostgreSQL when a URL is given, else the embedded store.
import type { EventSigning } from './event-signing';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  readonly databaseUrl?: string;
  /** KurrentDB (EventStoreDB) connection string, e.g. kurrentdb://127.0.0.1:2113?tls=false. */
  readonly kurrentDbUrl?: string;
  readonly databaseSchema?: string;
  readonly dataDir: string;
  readonly maxEventBytes?: number;
  /** Signs what this process appends (default: the development key). */
  readonly signing?: EventSigning;
}

export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.kurrentDbUrl) {
    return KurrentDbEventStore.open({
      connectionString: config.kurrentDbUrl,
      maxEventBytes: config.maxEventBytes,
      signing: config.signing,
    });
  }
  if (config.databaseUrl) {
    return PostgresEventStore.open({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      maxEventBytes: config.maxEventBytes,
      signing: config.signing,
    });
  }
  return SqliteEventStore.open({
    dataDir: config.dataDir,
    maxEventBytes: config.maxEventBytes,
    signing: config.signing,
  });
}
