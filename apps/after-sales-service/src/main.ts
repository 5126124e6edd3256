import 'reflect-metadata';
import { runService } from '@aftersales/service-kit';
import { AfterSalesServiceModule, attachAfterSalesConsumer } from './after-sales-service.module';

void runService(() => AfterSalesServiceModule.forRoot(), {
  title: 'after-sales-service',
  description:
    'Event-sourced after-sales tickets: applications, reviews, returns, exchanges, deadlines and the negotiation timeline.',
  connectConsumers: attachAfterSalesConsumer,
});
