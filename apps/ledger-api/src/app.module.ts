import { Module, type DynamicModule } from '@nestjs/common';
import { LEDGER_CONFIG, type LedgerConfig } from './config/ledger-config';
import { HealthController } from './health/health.controller';
import { EventStoreModule } from './store/event-store.module';

@Module({})
export class AppModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [EventStoreModule],
      controllers: [HealthController],
      providers: [{ provide: LEDGER_CONFIG, useValue: config }],
      exports: [LEDGER_CONFIG],
    };
  }
}
