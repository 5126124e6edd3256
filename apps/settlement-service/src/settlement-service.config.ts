import { ServiceConfig } from '@aftersales/service-kit';

export class SettlementServiceConfig extends ServiceConfig {
  override PORT = 3005;
  override DATABASE_SCHEMA = 'settlement';
}
