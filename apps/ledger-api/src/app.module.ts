import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { Ledger } from '@ledger/runtime';
import { accessPolicyProvider, ACCESS_POLICY } from './access/access-policy.provider';
import { PermissionGuard } from './access/permission.guard';
import { RouteDeclarationsCheck } from './access/route-declarations';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditModule } from './audit/audit.module';
import { CalendarModule } from './calendar/calendar.module';
import { ApiKeyGuard, TOKEN_VERIFIER } from './auth/api-key.guard';
import { API_KEYS, type ApiKeys } from './auth/api-keys';
import type { TokenVerifier } from './auth/token-verifier';
import { GetCaseController } from './cases/get-case.controller';
import { DisclosuresController } from './disclosures/disclosures.controller';
import { ErrorFilter } from './errors/error.filter';
import { HealthController } from './health/health.controller';
import { LedgerModule } from './ledger/ledger.module';
import { ListDocumentsHandler } from './lists/list-documents.query';
import { ListsController } from './lists/lists.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ReadModelFreshness } from './read-models/min-position';
import { ReportsController } from './reports/reports.controller';
import { CreditReviewsModule } from './credit-reviews/credit-reviews.module';
import { SubjectsModule } from './subjects/subjects.module';

@Module({})
export class AppModule {
  static forLedger(ledger: Ledger, apiKeys: ApiKeys, tokens?: TokenVerifier): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        DiscoveryModule,
        LedgerModule.of(ledger),
        CalendarModule,
        SubjectsModule,
        AuditModule,
        CreditReviewsModule,
      ],
      controllers: [
        ApiKeysController,
        HealthController,
        ListsController,
        DisclosuresController,
        ReportsController,
        GetCaseController,
        MetricsController,
      ],
      providers: [
        { provide: API_KEYS, useValue: apiKeys },
        ...(tokens ? [{ provide: TOKEN_VERIFIER, useValue: tokens }] : []),
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        // After authentication: the route's permission against the caller's role.
        { provide: APP_GUARD, useClass: PermissionGuard },
        accessPolicyProvider,
        RouteDeclarationsCheck,
        { provide: APP_FILTER, useClass: ErrorFilter },
        ReadModelFreshness,
        ListDocumentsHandler,
      ],
      exports: [ReadModelFreshness, ACCESS_POLICY],
    };
  }
}
