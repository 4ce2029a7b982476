// Builds the HTTP application; shared by main.ts, the end-to-end tests and the benchmarks.
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { LedgerConfig } from './config/ledger-config';
import { JsonLogger } from './logging/json-logger';

export async function createLedgerApp(config: LedgerConfig, logger = new JsonLogger(config.logLevel)): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    new FastifyAdapter({ bodyLimit: config.maxBodyBytes }),
    { logger, bufferLogs: false },
  );
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Education credit ledger')
      .setDescription('Event-sourced credit records of schools, institutions, teachers and students.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
