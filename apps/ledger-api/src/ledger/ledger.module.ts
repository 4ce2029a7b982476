// The ledger the runtime composed (@ledger/runtime), as Nest providers: its configuration, stores and
// command runners, for the use cases to inject. Its followers start once the application has started;
// they stop, and the stores close, when it shuts down.
import {
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiKeyRegistry, WorkingCalendars } from '@ledger/application';
import { DIGEST_SIGNING, DIGEST_STORE } from '@ledger/audit';
import { EVENT_SIGNING, EVENT_STORE } from '@ledger/event-store';
import { Ledger } from '@ledger/runtime';

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
/** Read models' documents, through their live generation. */
export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');
export const SUBJECT_COMMANDS = Symbol('SUBJECT_COMMANDS');
export const DISCIPLINE_CASES = Symbol('DISCIPLINE_CASES');
/** The ledger's Prometheus metrics (LedgerMetrics), or null with LEDGER_METRICS=off. */
export const METRICS = Symbol('METRICS');

@Injectable()
class LedgerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly ledger: Ledger) {}

  onApplicationBootstrap(): Promise<void> {
    return this.ledger.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.ledger.stop();
  }
}

@Module({})
export class LedgerModule {
  static of(ledger: Ledger): DynamicModule {
    const provided = [
      { provide: Ledger, useValue: ledger },
      { provide: LEDGER_CONFIG, useValue: ledger.config },
      { provide: EVENT_STORE, useValue: ledger.stores.events },
      { provide: DOCUMENT_STORE, useValue: ledger.stores.documents },
      { provide: DIGEST_STORE, useValue: ledger.stores.digests },
      { provide: EVENT_SIGNING, useValue: ledger.stores.signing },
      { provide: DIGEST_SIGNING, useValue: ledger.stores.digestSigning },
      { provide: SUBJECT_COMMANDS, useValue: ledger.subjects },
      { provide: DISCIPLINE_CASES, useValue: ledger.cases },
      { provide: WorkingCalendars, useValue: ledger.calendars },
      { provide: ApiKeyRegistry, useValue: ledger.apiKeys },
      { provide: METRICS, useValue: ledger.metrics ?? null },
    ];
    return {
      module: LedgerModule,
      global: true,
      providers: [...provided, LedgerLifecycle],
      exports: provided.map((p) => p.provide),
    };
  }
}
