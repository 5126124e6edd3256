import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@aftersales/service-kit';
import { AfterSalesServiceConfig } from './after-sales-service.config';
import { CreateMerchantPolicies1764000000000 } from './infrastructure/migrations/1764000000000-create-merchant-policies';

@Module({})
export class AfterSalesServiceModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AfterSalesServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'after-sales-service',
          configClass: AfterSalesServiceConfig,
          entities: [],
          migrations: [CreateMerchantPolicies1764000000000],
          env,
        }),
      ],
    };
  }
}
