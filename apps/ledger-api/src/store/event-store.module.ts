// Provides the event store chosen by configuration (LedgerWorkers closes it on shutdown).
import { Global, Logger, Module } from '@nestjs/common';
import { EVENT_STORE, openEventStore, type EventStore } from '@ledger/event-store';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';

@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [LEDGER_CONFIG],
      useFactory: async (config: LedgerConfig): Promise<EventStore> => {
        const store = await openEventStore({
          databaseUrl: config.databaseUrl,
          databaseSchema: config.databaseSchema,
          dataDir: config.dataDir,
          maxEventBytes: config.maxEventBytes,
        });
        new Logger('EventStore').log({
          msg: 'event store open',
          store: store.kind,
          where: config.databaseUrl ? redact(config.databaseUrl) : config.dataDir,
        });
        return store;
      },
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule {}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
