// Builds the HTTP application; shared by main.ts, the end-to-end tests and the benchmarks.
import { WorkingCalendars } from '@ledger/application';
import { addDays, beijingDateOf, CalendarYearUnknown } from '@ledger/domain';
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { loadApiKeys, type ApiKeys } from './auth/api-keys';
import type { LedgerConfig } from './config/ledger-config';
import { requestValidationPipe } from './errors/validation';
import { JsonLogger } from './logging/json-logger';

export interface LedgerAppOptions {
  readonly logger?: JsonLogger | false;
  readonly apiKeys?: ApiKeys;
  /**
   * Serve the Swagger UI page at /docs (the JSON document at /docs/openapi.json is always served).
   * Off under Jest, which cannot load the ES-module dependency of @fastify/static; .ci/run checks the UI.
   */
  readonly docsUi?: boolean;
}

export async function createLedgerApp(
  config: LedgerConfig,
  options: LedgerAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  if (logger) Logger.overrideLogger(logger); // so messages logged before Nest starts are JSON too
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config, options.apiKeys ?? loadApiKeys()),
    new FastifyAdapter({ bodyLimit: config.maxBodyBytes }),
    { logger, bufferLogs: false, abortOnError: false },
  );
  warnIfCalendarRunsOut(app.get(WorkingCalendars));
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(requestValidationPipe);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Education credit ledger')
      .setDescription(
        'Event-sourced credit records of schools, institutions, teachers and students. Every command answers with the ' +
          'event ids, the stream revision (send it back as If-Match) and the global position (pass it as ?minPosition= ' +
          'to read your own write). Send Idempotency-Key to make a retried command return its first answer.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    ui: options.docsUi ?? true,
  });
  return app;
}

/**
 * Reporting deadlines count 7 working days: within weeks of a year the calendar does not know, commands
 * whose deadline runs into it are refused (CALENDAR.YEAR_UNKNOWN). Say so at start, while there is time.
 */
function warnIfCalendarRunsOut(calendars: WorkingCalendars): void {
  const soon = addDays(beijingDateOf(new Date().toISOString()), 45);
  try {
    calendars.current().isWorkingDay(soon);
  } catch (error) {
    if (!(error instanceof CalendarYearUnknown)) throw error;
    new Logger('Calendar').warn({
      msg: `The working calendar has no holiday arrangement for ${error.year}: commands whose deadline runs into it are refused (CALENDAR.YEAR_UNKNOWN). Record the State Council's notice for ${error.year} with POST /api/v1/calendar/years (admin) or npm run cli -- publish-calendar-year FILE.`,
      year: error.year,
    });
  }
}
