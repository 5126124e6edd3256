import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@aftersales/service-kit';
import { SettlementServiceConfig } from './settlement-service.config';
import { CreateSettlementLedger1764000000000 } from './infrastructure/migrations/1764000000000-create-settlement-ledger';

@Module({})
export class SettlementServiceModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: SettlementServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'settlement-service',
          configClass: SettlementServiceConfig,
          entities: [],
          migrations: [CreateSettlementLedger1764000000000],
          env,
        }),
      ],
    };
  }
}
