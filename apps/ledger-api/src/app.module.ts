import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  DeadlineScheduler,
  DisciplineCases,
  SubjectCommands,
  WorkingCalendars,
  type SubjectCommandExecutor,
} from '@ledger/application';
import { type DocumentStore } from '@ledger/projections';
import { AuditModule } from './audit/audit.module';
import { CalendarModule } from './calendar/calendar.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { DISCIPLINE_CASES, GetCaseController } from './cases/get-case.controller';
import { API_KEYS, type ApiKeys } from './auth/api-keys';
import { SUBJECT_COMMANDS } from './commands/execute-subject-command';
import { LEDGER_CONFIG, type LedgerConfig } from './config/ledger-config';
import { DisclosuresController } from './disclosures/disclosures.controller';
import { ErrorFilter } from './errors/error.filter';
import { HealthController } from './health/health.controller';
import { ListDocumentsHandler } from './lists/list-documents.query';
import { ListsController } from './lists/lists.controller';
import { ReadModelFreshness } from './read-models/min-position';
import { DOCUMENT_STORE, ReadModelsModule } from './read-models/read-models.module';
import { ReportsController } from './reports/reports.controller';
import { EventStoreModule } from './store/event-store.module';
import { SubjectsModule } from './subjects/subjects.module';
import { LedgerWorkers, schedulerLog } from './workers/ledger-workers';

@Module({})
export class AppModule {
  static forConfig(config: LedgerConfig, apiKeys: ApiKeys): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule,
        ReadModelsModule,
        CalendarModule,
        SubjectsModule,
        AuditModule,
      ],
      controllers: [
        HealthController,
        ListsController,
        DisclosuresController,
        ReportsController,
        GetCaseController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: API_KEYS, useValue: apiKeys },
        {
          provide: SUBJECT_COMMANDS,
          inject: [EVENT_STORE, WorkingCalendars],
          useFactory: (store: EventStore, calendars: WorkingCalendars): SubjectCommandExecutor => {
            const commands = new SubjectCommands(store, {
              policyVersion: config.policyVersion,
              calendar: calendars.current,
            });
            return { execute: calendars.retryOnUnknownYear(commands.execute.bind(commands)) };
          },
        },
        {
          provide: DeadlineScheduler,
          inject: [DOCUMENT_STORE, SUBJECT_COMMANDS],
          useFactory: (documents: DocumentStore, commands: SubjectCommandExecutor) =>
            new DeadlineScheduler(documents, commands, {
              intervalMs: config.schedulerIntervalMs,
              log: schedulerLog(new Logger('DeadlineScheduler')),
            }),
        },
        {
          provide: DISCIPLINE_CASES,
          inject: [EVENT_STORE, WorkingCalendars],
          useFactory: (store: EventStore, calendars: WorkingCalendars) =>
            new DisciplineCases(store, { policyVersion: config.policyVersion, calendar: calendars.current }),
        },
        LedgerWorkers,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ReadModelFreshness,
        ListDocumentsHandler,
      ],
      exports: [LEDGER_CONFIG, SUBJECT_COMMANDS, ReadModelFreshness],
    };
  }
}
