import 'reflect-metadata';
import { runService } from '@aftersales/service-kit';
import { RefundServiceModule } from './refund-service.module';

void runService(() => RefundServiceModule.forRoot(), {
  title: 'refund-service',
  description:
    'Event-sourced refund orders: finance review, payment-gateway refunds against the original payment, idempotent retries.',
});
