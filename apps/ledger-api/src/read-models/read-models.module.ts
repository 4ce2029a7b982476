// Read models: their storage beside the event store, and the runner that keeps them up to date.
// Started and stopped by LedgerWorkers; the same runner can move to apps/ledger-worker unchanged.
import { Global, Logger, Module } from '@nestjs/common';
import { auditProjections, GenerationalDocumentStore } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  allProjections,
  PostgresDocumentStore,
  ProjectionRunner,
  SqliteDocumentStore,
  type DocumentStore,
} from '@ledger/projections';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';

export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');

@Global()
@Module({
  providers: [
    {
      provide: DOCUMENT_STORE,
      inject: [LEDGER_CONFIG, EVENT_STORE],
      useFactory: async (config: LedgerConfig, events: EventStore): Promise<DocumentStore> => {
        const documents = config.databaseUrl
          ? await PostgresDocumentStore.open({
              connectionString: config.databaseUrl,
              schema: config.databaseSchema,
            })
          : await SqliteDocumentStore.open({ dataDir: config.dataDir });
        // Reads and the runner follow the live generation, so `ledger-cli rebuild` can swap in a rebuilt one.
        const logger = new Logger('ReadModels');
        return GenerationalDocumentStore.open(documents, {
          events,
          projections: [...allProjections, ...auditProjections],
          handover: true,
          onSwitch: (info) => logger.log({ msg: 'read model switched to a rebuilt generation', ...info }),
          onError: (error) => logger.error(error instanceof Error ? error : { msg: String(error) }),
        });
      },
    },
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, DOCUMENT_STORE],
      useFactory: (events: EventStore, documents: DocumentStore) => {
        const logger = new Logger('Projections');
        return new ProjectionRunner(events, documents, allProjections, {
          onError: (error) => logger.error(error instanceof Error ? error : { msg: String(error) }),
        });
      },
    },
  ],
  exports: [DOCUMENT_STORE, ProjectionRunner],
})
export class ReadModelsModule {}
