import 'reflect-metadata';
import { runService } from '@aftersales/service-kit';
import { OrderServiceModule } from './order-service.module';

void runService(() => OrderServiceModule.forRoot(), {
  title: 'order-service',
  description:
    'Mirrors upstream order facts, closes unpaid orders, and applies succeeded after-sales to orders.',
});
