import { ServiceConfig } from '@aftersales/service-kit';

export class WarehouseAdapterServiceConfig extends ServiceConfig {
  override PORT = 3004;
  override DATABASE_SCHEMA = 'warehouse';
}
