import { Type } from 'class-transformer';
import { IsInt, IsTimeZone, Max, Min } from 'class-validator';
import { ServiceConfig } from '@aftersales/service-kit';

export class AfterSalesServiceConfig extends ServiceConfig {
  override PORT = 3002;
  override DATABASE_SCHEMA = 'after_sales';

  /** How often due deadlines are looked for; 0 turns the poller off (tests fire deadlines by hand). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DEADLINE_POLL_INTERVAL_MS = 5000;

  /** The marketplace's time zone (IANA name): a ticket number carries the day there, as people quote it. */
  @IsTimeZone()
  MARKETPLACE_TIME_ZONE = 'Asia/Shanghai';
}
