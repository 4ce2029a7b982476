// Builds the HTTP application around the ledger the runtime composes; shared by main.ts, the end-to-end
// tests and the benchmarks. Closing the application stops the ledger's followers and closes its stores.
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { JsonLogger, Ledger, type LedgerConfig } from '@ledger/runtime';
import { AppModule } from './app.module';
import { apiKeysOf, type ApiKeys } from './auth/api-keys';
import { TokenVerifier, type TokenVerifierOptions } from './auth/token-verifier';
import { requestValidationPipe } from './errors/validation';
import { useJsonBodyParser, useLargeBodyRoutes } from './common/json-body';
import { serverOptions, useHttpSecurity } from './common/http-security';
import { useRateLimits } from './common/rate-limits';
import { useHttpMetrics } from './common/http-metrics';
import { clientError, frameworkError, requestIdOf, useRequestTracing } from './common/request-tracing';

export interface LedgerAppOptions {
  readonly logger?: JsonLogger | false;
  readonly apiKeys?: ApiKeys;
  /** How bearer tokens are checked (the tests' clock); used only with LEDGER_OIDC_ISSUER. */
  readonly tokens?: TokenVerifierOptions;
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
  const ledger = await Ledger.open(config, { logger: logger || undefined });
  const tokens = config.oidc ? new TokenVerifier(config.oidc, options.tokens) : undefined;
  // Discovery and the JWKS now, so the first caller does not wait; a provider that is down is retried per request.
  await tokens
    ?.warmUp()
    .catch((error: Error) =>
      Logger.warn({ msg: 'identity provider not reachable at start', reason: error.message }, 'Auth'),
    );
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forLedger(ledger, options.apiKeys ?? apiKeysOf(config), tokens),
      new FastifyAdapter({
        ...serverOptions(config),
        bodyLimit: config.maxBodyBytes,
        genReqId: requestIdOf,
        frameworkErrors: frameworkError,
        clientErrorHandler: clientError,
      }),
      { logger, bufferLogs: false, abortOnError: false },
    );
  } catch (error) {
    await ledger.stop();
    throw error;
  }
  // Hooks run in the order added: security headers first, so even an early refusal carries them.
  await useHttpSecurity(app, config);
  useRequestTracing(app.getHttpAdapter().getInstance(), logger || undefined);
  useHttpMetrics(app.getHttpAdapter().getInstance(), ledger.metrics);
  await useRateLimits(app, config);
  useJsonBodyParser(app, { maxDepth: config.maxJsonDepth, bodyLimit: config.maxBodyBytes });
  useLargeBodyRoutes(app);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: '.well-known/ledger-keys.json', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
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
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    ui: options.docsUi ?? true,
  });
  return app;
}
