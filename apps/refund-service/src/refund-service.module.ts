import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@aftersales/service-kit';
import { RefundServiceConfig } from './refund-service.config';
import { CreateRefundPolicies1764000000000 } from './infrastructure/migrations/1764000000000-create-refund-policies';

@Module({})
export class RefundServiceModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: RefundServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'refund-service',
          configClass: RefundServiceConfig,
          entities: [],
          migrations: [CreateRefundPolicies1764000000000],
          env,
        }),
      ],
    };
  }
}
