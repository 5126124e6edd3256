import { Body, Controller, Get, Headers, Inject, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Min, ValidateIf } from 'class-validator';
import type { Pool } from 'pg';
import { CurrentActor, Roles } from '@aftersales/auth';
import { Nested } from '@aftersales/contracts';
import {
  CLOCK,
  ConflictError,
  ForbiddenError,
  ValidationError,
  type Actor,
  type Clock,
} from '@aftersales/kernel';
import { PG_POOL } from '@aftersales/messaging';
import { ApiErrors } from '@aftersales/service-kit';
import {
  AFTER_SALES_WINDOW_DAYS,
  PRE_SHIPMENT_REFUND_POLICIES,
  STOCK_IN_TIMEOUT_ACTIONS,
  applyPolicyChange,
  type AfterSalesWindowDays,
  type PreShipmentRefundPolicy,
  type StockInTimeoutAction,
} from '../domain';
import { loadPolicy, savePolicy, type StoredPolicy } from '../infrastructure/merchant-policy.repository';
import { AddressDto } from './ticket.dto';
import { StoredPolicyResponse } from './ticket.responses';

class DeadlineMinutesDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) PENDING_REVIEW?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) INTERCEPTING?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) AWAITING_CUSTOMER_RETURN?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) AWAITING_STOCK_IN?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) IN_NEGOTIATION?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) AWAITING_EXCHANGE_SHIPMENT?: number;
}

/** A partial change: fields left out keep their value; `null` switches an optional rule off. */
class PolicyChangeDto {
  @ApiPropertyOptional({ enum: PRE_SHIPMENT_REFUND_POLICIES })
  @IsOptional()
  @IsIn(PRE_SHIPMENT_REFUND_POLICIES)
  preShipmentRefund?: PreShipmentRefundPolicy;

  @ApiPropertyOptional({ enum: AFTER_SALES_WINDOW_DAYS })
  @IsOptional()
  @IsIn(AFTER_SALES_WINDOW_DAYS)
  afterSalesWindowDays?: AfterSalesWindowDays;

  @ApiPropertyOptional({ type: DeadlineMinutesDto })
  @IsOptional()
  @Nested(() => DeadlineMinutesDto)
  deadlineMinutes?: DeadlineMinutesDto;

  @ApiPropertyOptional({ enum: STOCK_IN_TIMEOUT_ACTIONS })
  @IsOptional()
  @IsIn(STOCK_IN_TIMEOUT_ACTIONS)
  stockInTimeoutAction?: StockInTimeoutAction;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  autoApproveRefundOnlyWithinMinutesOfPayment?: number | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() exchangeRelaxed?: boolean;

  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @Nested(() => AddressDto)
  defaultReturnAddress?: AddressDto | null;

  @ApiPropertyOptional({ nullable: true, description: 'minor units; null: no cap' })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  shippingSubsidyMax?: number | null;
}

@ApiTags('merchant policy')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 409)
@Controller('merchants/:merchantId/policy')
export class MerchantPolicyHttpController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('merchant_agent', 'platform_agent')
  @ApiOkResponse({ type: StoredPolicyResponse })
  async get(@Param('merchantId') merchantId: string, @CurrentActor() actor: Actor): Promise<StoredPolicy> {
    assertOwnMerchant(actor, merchantId);
    return loadPolicy(this.pool, merchantId);
  }

  @Put()
  @Roles('merchant_agent', 'platform_agent')
  @ApiOkResponse({ type: StoredPolicyResponse })
  @ApiOperation({
    summary:
      'Change the fields given, on the stored policy; tickets opened before keep the policy they recorded',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The policy version the change was made on (e.g. "3"): 409 policy.version-changed if another change came first',
  })
  async change(
    @Param('merchantId') merchantId: string,
    @Body() change: PolicyChangeDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch?: string,
  ): Promise<StoredPolicy> {
    assertOwnMerchant(actor, merchantId);
    const expected = ifMatch === undefined ? null : versionOf(ifMatch);
    const asked = {
      ...change,
      ...(change.deadlineMinutes ? { deadlineMinutes: { ...change.deadlineMinutes } } : {}),
      ...(change.defaultReturnAddress ? { defaultReturnAddress: { ...change.defaultReturnAddress } } : {}),
    };
    // Without If-Match the change is merged onto whatever is stored, so a change saved meanwhile
    // is merged onto again rather than overwritten; with it, the caller decides.
    for (let attempt = 1; ; attempt++) {
      const current = await loadPolicy(this.pool, merchantId);
      if (expected !== null && current.version !== expected) throw versionChanged(current.version, expected);
      const next = applyPolicyChange(current.policy, asked);
      const saved = await savePolicy(this.pool, merchantId, next, actor, this.clock.now(), current.version);
      if (saved) return saved;
      if (expected !== null || attempt === MERGE_ATTEMPTS) throw versionChanged(null, current.version);
    }
  }
}

/** Concurrent changes without If-Match merged again before the caller is told to retry. */
const MERGE_ATTEMPTS = 3;

/** `3`, `"3"` or `W/"3"`: the version, as GET and PUT answer it. */
function versionOf(ifMatch: string): number {
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!match) throw new ValidationError('If-Match must be the policy version, e.g. "3"', 'If-Match');
  return Number(match[1]);
}

function versionChanged(current: number | null, expected: number): ConflictError {
  return new ConflictError(
    `The policy is no longer at version ${expected}${current === null ? '' : ` but at ${current}`}; read it again and redo the change`,
    'policy.version-changed',
    { expectedVersion: expected, ...(current === null ? {} : { version: current }) },
  );
}

function assertOwnMerchant(actor: Actor, merchantId: string): void {
  if (actor.role === 'merchant_agent' && actor.merchantId !== merchantId) {
    throw new ForbiddenError(
      `merchant agents of ${actor.merchantId} may not see or change merchant ${merchantId}'s policy`,
      'policy.not-yours',
    );
  }
}
