import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@aftersales/service-kit';
import { WarehouseAdapterServiceConfig } from './warehouse-adapter.config';
import { CreateWarehouseTasks1764000000000 } from './infrastructure/migrations/1764000000000-create-warehouse-tasks';

@Module({})
export class WarehouseAdapterServiceModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: WarehouseAdapterServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'warehouse-adapter',
          configClass: WarehouseAdapterServiceConfig,
          entities: [],
          migrations: [CreateWarehouseTasks1764000000000],
          env,
        }),
      ],
    };
  }
}
