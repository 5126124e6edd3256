import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Nested } from '@aftersales/contracts';
import {
  AFTER_SALES_TYPES,
  APPLICATION_REASON_CODES,
  INTERVENTION_RULINGS,
  REJECTION_REASON_CODES,
  TICKET_STATUSES,
  type AfterSalesType,
  type ApplicationReasonCode,
  type InterventionRuling,
  type RejectionReasonCode,
} from '../domain';

const MAX_MINOR = 1_000_000_000_00;
const INSTANT_MESSAGE = '$property must be an ISO 8601 instant, e.g. 2026-11-25T08:00:00Z';

export class AddressDto {
  @ApiProperty() @IsString() @Length(1, 100) recipient!: string;
  @ApiProperty() @IsString() @Length(3, 32) phone!: string;
  @ApiProperty() @IsString() @Length(1, 300) address!: string;
}

export class RequestedLineDto {
  @ApiProperty() @IsString() @Length(1, 64) lineId!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
}

export class ApplyDto {
  @ApiProperty() @IsString() @Length(1, 64) orderId!: string;
  @ApiProperty({ enum: AFTER_SALES_TYPES }) @IsIn(AFTER_SALES_TYPES) type!: AfterSalesType;
  @ApiProperty({
    type: [RequestedLineDto],
    description: 'For CANCEL_ORDER an empty list means the whole order',
  })
  @Nested(() => RequestedLineDto, { array: true, maxItems: 100 })
  lines!: RequestedLineDto[];
  @ApiProperty({ enum: APPLICATION_REASON_CODES })
  @IsIn(APPLICATION_REASON_CODES)
  reasonCode!: ApplicationReasonCode;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true })
  evidence?: string[];
  @ApiPropertyOptional({ type: AddressDto, description: 'Where the replacement goes (EXCHANGE)' })
  @IsOptional()
  @Nested(() => AddressDto)
  exchangeAddress?: AddressDto;
}

export class NoteDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class RequiredNoteDto {
  @ApiProperty() @IsString() @Length(1, 500) note!: string;
}

export class ApproveDto extends NoteDto {
  @ApiPropertyOptional({
    type: AddressDto,
    description: 'Merchant return address: required for returns and exchanges',
  })
  @IsOptional()
  @Nested(() => AddressDto)
  returnAddress?: AddressDto;
}

export class RejectDto extends RequiredNoteDto {
  @ApiProperty({ enum: REJECTION_REASON_CODES })
  @IsIn(REJECTION_REASON_CODES)
  reasonCode!: RejectionReasonCode;
}

export class ShipmentDto {
  @ApiProperty() @IsString() @Length(1, 64) carrier!: string;
  @ApiProperty({ pattern: '^[A-Za-z0-9._:-]+$' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'trackingNo may hold only letters, digits and . _ : -' })
  trackingNo!: string;
}

export class AmountDto {
  @ApiProperty({ description: 'minor units' }) @IsInt() @Min(0) @Max(MAX_MINOR) amount!: number;
}

export class AmountWithNoteDto extends RequiredNoteDto {
  @ApiProperty({ description: 'minor units' }) @IsInt() @Min(0) @Max(MAX_MINOR) amount!: number;
}

export class CouponDto extends RequiredNoteDto {
  @ApiProperty({ description: 'minor units' }) @IsInt() @Min(1) @Max(MAX_MINOR) couponValue!: number;
}

export class InterveneDto extends RequiredNoteDto {
  @ApiProperty({ enum: INTERVENTION_RULINGS }) @IsIn(INTERVENTION_RULINGS) ruling!: InterventionRuling;
  @ApiPropertyOptional({ description: 'minor units; FORCE_REFUND of this amount instead of the current one' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  amount?: number;
}

export class TicketSearchQuery {
  @ApiPropertyOptional({ enum: TICKET_STATUSES }) @IsOptional() @IsIn(TICKET_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: AFTER_SALES_TYPES }) @IsOptional() @IsIn(AFTER_SALES_TYPES) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) merchantId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) orderId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Tickets opened at or after this instant.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: INSTANT_MESSAGE })
  createdFrom?: Date;
  @ApiPropertyOptional({ format: 'date-time', description: 'Tickets opened before this instant.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: INSTANT_MESSAGE })
  createdTo?: Date;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
