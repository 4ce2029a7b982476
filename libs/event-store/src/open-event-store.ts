// Chooses the adapter from configuration: PostgreSQL when a DATABASE_URL is given, else the embedded store.
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  readonly databaseUrl?: string;
  readonly databaseSchema?: string;
  readonly dataDir: string;
  readonly maxEventBytes?: number;
}

export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.databaseUrl) {
    return PostgresEventStore.open({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      maxEventBytes: config.maxEventBytes,
    });
  }
  return SqliteEventStore.open({ dataDir: config.dataDir, maxEventBytes: config.maxEventBytes });
}
