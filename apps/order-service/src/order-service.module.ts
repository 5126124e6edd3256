import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceKitModule } from '@aftersales/service-kit';
import { OrderHttpController } from './api/order.http.controller';
import { OrderServiceConfig } from './order-service.config';
import { OrderEntity, OrderLineEntity } from './infrastructure/order.entity';
import { CreateOrders1764000000000 } from './infrastructure/migrations/1764000000000-create-orders';

@Module({})
export class OrderServiceModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: OrderServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'order-service',
          configClass: OrderServiceConfig,
          entities: [OrderEntity, OrderLineEntity],
          migrations: [CreateOrders1764000000000],
          env,
        }),
        TypeOrmModule.forFeature([OrderEntity, OrderLineEntity]),
      ],
      controllers: [OrderHttpController],
    };
  }
}
