import { IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  Doc,
  Id,
  Invariant,
  Nested,
  NonNegativeInt,
  PositiveInt,
  Text,
  Timestamp,
} from '../validation/decorators';
import { Address, TaskLine, TicketReference, UNIT_DISPOSITIONS, type UnitDisposition } from './common';

/** The three warehouse tasks share their addressing: which task, for which ticket and order. */
export class WarehouseTask extends TicketReference {
  @Doc(
    'Chosen by after-sales, one per ticket and kind of task; the warehouse reports the outcome under the same id. ' +
      "An outcome naming a task other than its ticket's is dead-lettered.",
  )
  @IsUUID()
  taskId!: string;

  @Id()
  merchantId!: string;

  @Nested(() => TaskLine, { array: true, minItems: 1 })
  lines!: TaskLine[];
}

@Doc('The customer shipped goods back: expect them, stock them in and inspect every unit.')
export class ReturnStockInRequestedData extends WarehouseTask {
  @Text(64)
  carrier!: string;

  @Id()
  trackingNo!: string;

  @Nested(() => Address)
  returnAddress!: Address;
}

@Doc('Ship replacement units for an exchange to the customer.')
export class ExchangeStockOutRequestedData extends WarehouseTask {
  @Nested(() => Address)
  deliveryAddress!: Address;
}

export const SEND_BACK_REASONS = [
  'NEGOTIATION_DECLINED',
  'NEGOTIATION_TIMEOUT',
  'CLOSED_BY_AGENT',
  'CLOSED_BY_PLATFORM',
  'ARRIVED_AFTER_CLOSE',
] as const;
export type SendBackReason = (typeof SEND_BACK_REASONS)[number];

@Doc(
  'Send returned goods back to the customer: the ticket closed after stock-in without a refund or exchange ' +
    '(negotiation declined or timed out, or an agent or the platform closed it), or the goods arrived after ' +
    'the ticket had closed (ARRIVED_AFTER_CLOSE, e.g. after the stock-in deadline).',
)
export class ReturnToCustomerRequestedData extends WarehouseTask {
  @IsIn(SEND_BACK_REASONS)
  reason!: SendBackReason;

  @Doc(
    "Where to send them; absent means the order's original delivery address, which the warehouse system holds.",
  )
  @IsOptional()
  @Nested(() => Address)
  deliveryAddress?: Address;
}

export const STOCK_OUT_CANCEL_REASONS = ['CLOSED_BY_PLATFORM', 'REFUNDED_BY_PLATFORM'] as const;
export type StockOutCancelReason = (typeof STOCK_OUT_CANCEL_REASONS)[number];

@Doc(
  'Do not ship the replacement an exchange-stock-out-requested asked for: the platform closed the ticket ' +
    '(CLOSED_BY_PLATFORM) or ruled a refund instead (REFUNDED_BY_PLATFORM). It names the stock-out task ' +
    '(same taskId). A parcel that already left is reported with exchange-shipped as usual, so agents can follow it up.',
)
export class ExchangeStockOutCancellationRequestedData extends WarehouseTask {
  @IsIn(STOCK_OUT_CANCEL_REASONS)
  reason!: StockOutCancelReason;
}

@Doc('Stop a parcel that may not have left yet (refund before shipment).')
export class ShipmentInterceptionRequestedData extends WarehouseTask {}

@Doc('What an inspector found on one unit.')
export class UnitInspection {
  @IsIn(UNIT_DISPOSITIONS)
  disposition!: UnitDisposition;

  @IsOptional()
  @Text(500)
  note?: string;
}

@Doc('Inspection of one returned line: one entry in `units` per unit the ticket expected back.')
export class InspectedLine {
  @Id()
  lineId!: string;

  @Id()
  sku!: string;

  @PositiveInt()
  @Invariant(
    'the number of entries in units (one disposition per expected unit)',
    (line: InspectedLine) => line.units.length,
  )
  quantityExpected!: number;

  @Doc('Units that arrived, whatever their condition.')
  @NonNegativeInt()
  @Invariant(
    'the number of units whose disposition is not MISSING',
    (line: InspectedLine) => line.units.filter((unit) => unit.disposition !== 'MISSING').length,
  )
  quantityReceived!: number;

  @Nested(() => UnitInspection, { array: true, minItems: 1 })
  units!: UnitInspection[];
}

/** Warehouse outcomes name the task they answer and the ticket it belongs to. */
export class WarehouseOutcome extends TicketReference {
  @Doc('The task this answers, as its request named it.')
  @IsUUID()
  taskId!: string;
}

@Doc(
  'The returned parcel was stocked in and inspected. The goods match the application when every expected unit ' +
    'arrived RESTOCKABLE; anything else sends the ticket to negotiation.',
)
export class ReturnStockedData extends WarehouseOutcome {
  @Id()
  warehouseId!: string;

  @Nested(() => InspectedLine, { array: true, minItems: 1 })
  lines!: InspectedLine[];

  @Timestamp()
  stockedAt!: string;
}

@Doc(
  'The replacement parcel of an exchange left the warehouse. It holds every line of the stock-out task in the ' +
    "task's quantity; a parcel of other lines or quantities does not end the exchange and is dead-lettered.",
)
export class ExchangeShippedData extends WarehouseOutcome {
  @Nested(() => TaskLine, { array: true, minItems: 1 })
  lines!: TaskLine[];

  @Text(64)
  carrier!: string;

  @Id()
  trackingNo!: string;

  @Timestamp()
  shippedAt!: string;
}

@Doc('Returned goods were shipped back to the customer.')
export class ReturnedToCustomerData extends WarehouseOutcome {
  @Nested(() => TaskLine, { array: true, minItems: 1 })
  lines!: TaskLine[];

  @Text(64)
  carrier!: string;

  @Id()
  trackingNo!: string;

  @Timestamp()
  shippedAt!: string;
}

@Doc('The parcel was stopped before it left; nothing will reach the customer.')
export class ShipmentInterceptedData extends WarehouseOutcome {
  @Timestamp()
  interceptedAt!: string;
}

export const INTERCEPTION_FAILURE_REASONS = ['ALREADY_SHIPPED', 'TASK_UNKNOWN', 'WAREHOUSE_REFUSED'] as const;
export type InterceptionFailureReason = (typeof INTERCEPTION_FAILURE_REASONS)[number];

@Doc('The parcel could not be stopped; the ticket goes to a human for review.')
export class ShipmentInterceptionFailedData extends WarehouseOutcome {
  @IsIn(INTERCEPTION_FAILURE_REASONS)
  reason!: InterceptionFailureReason;

  @IsOptional()
  @Text(500)
  note?: string;
}

/**
 * The one reading of an inspection every service must share: the goods match the application when every
 * expected unit arrived and is restockable. Anything else is a mismatch that goes to negotiation.
 */
export function inspectionMatches(stocked: Pick<ReturnStockedData, 'lines'>): boolean {
  return stocked.lines.every(
    (line) =>
      line.quantityReceived === line.quantityExpected &&
      line.units.every((unit) => unit.disposition === 'RESTOCKABLE'),
  );
}
