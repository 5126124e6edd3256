import { ServiceConfig } from '@aftersales/service-kit';

export class AfterSalesServiceConfig extends ServiceConfig {
  override PORT = 3002;
  override DATABASE_SCHEMA = 'after_sales';
}
