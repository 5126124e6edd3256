import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@aftersales/auth';

/** Further readiness checks (the Kafka connection, for one) provided by other modules. */
export const READINESS_CHECKS = Symbol('ReadinessChecks');

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @Optional() @Inject(READINESS_CHECKS) private readonly extraChecks: HealthIndicatorFunction[] = [],
  ) {}

  /** The process is up; says nothing about its dependencies (restart only when this fails). */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: the database answers (and every registered dependency check passes). */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), ...this.extraChecks]);
  }
}
