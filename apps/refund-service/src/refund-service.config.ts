import { ServiceConfig } from '@aftersales/service-kit';

export class RefundServiceConfig extends ServiceConfig {
  override PORT = 3003;
  override DATABASE_SCHEMA = 'refunds';
}
