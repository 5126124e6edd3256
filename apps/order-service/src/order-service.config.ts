import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ServiceConfig } from '@aftersales/service-kit';

export class OrderServiceConfig extends ServiceConfig {
  override PORT = 3001;
  override DATABASE_SCHEMA = 'orders';

  /** Unpaid orders close after this many minutes (passive cancellation). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  UNPAID_ORDER_TIMEOUT_MINUTES = 30;
}
