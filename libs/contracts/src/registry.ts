import type { Constructor } from './validation/decorators';
import type { ServiceName, TopicName } from './topics';
import {
  CompensationCouponIssuedData,
  OrderCancellationRequestedData,
  RefundRequestedData,
  TicketApprovedData,
  TicketClosedData,
  TicketOpenedData,
  TicketRejectedData,
  TicketSucceededData,
} from './payloads/after-sales';
import {
  OrderCancellationRejectedData,
  OrderClosedData,
  OrderCompletedData,
  OrderPaidData,
  OrderPlacedData,
  OrderShippedData,
  OrderStatusChangedData,
} from './payloads/order';
import { RefundApprovedData, RefundFailedData, RefundPaidData, RefundRejectedData } from './payloads/refund';
import { SettlementStatementIssuedData } from './payloads/settlement';
import {
  ExchangeShippedData,
  ExchangeStockOutCancellationRequestedData,
  ExchangeStockOutRequestedData,
  ReturnStockInRequestedData,
  ReturnToCustomerRequestedData,
  ReturnedToCustomerData,
  ReturnStockedData,
  ShipmentInterceptedData,
  ShipmentInterceptionFailedData,
  ShipmentInterceptionRequestedData,
} from './payloads/warehouse';

/** Required string fields of a payload: the only ones that can serve as the Kafka key. */
export type StringField<P> = { [K in keyof P]: P[K] extends string ? K : never }[keyof P] & string;

export interface EventDefinition<P extends object = object> {
  topic: TopicName;
  /** The data field whose value is the Kafka key: the id whose per-key order matters to consumers. */
  key: StringField<P>;
  /** Version of the payload shape; a breaking change registers a new version. */
  schemaVersion: number;
  payload: Constructor<P>;
  /** Services of this platform known to consume it (documentation; anyone may subscribe). */
  consumers: readonly ServiceName[];
}

const defineEvent = <P extends object>(definition: EventDefinition<P>): EventDefinition<P> => definition;

/**
 * Every integration event, by type. Types are bare kebab-case names (no topic prefix) so that the three
 * names fixed by the brief -- return-stocked, exchange-shipped, refund-paid -- are event types verbatim.
 *
 * Keys: order facts by order id; everything about a ticket (its facts, the requests it causes, the warehouse
 * and refund outcomes they produce) by ticket id, so a ticket's whole conversation stays in order on each
 * topic -- a refund order or warehouse task belongs to exactly one ticket, so ticket order implies theirs.
 * Statements by merchant id.
 */
export const EVENT_REGISTRY = {
  'order-placed': defineEvent({
    topic: 'upstream.orders',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderPlacedData,
    consumers: ['order-service'],
  }),
  'order-paid': defineEvent({
    topic: 'upstream.orders',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderPaidData,
    consumers: ['order-service'],
  }),
  'order-shipped': defineEvent({
    topic: 'upstream.orders',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderShippedData,
    consumers: ['order-service'],
  }),
  'order-completed': defineEvent({
    topic: 'upstream.orders',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderCompletedData,
    consumers: ['order-service'],
  }),
  'order-closed': defineEvent({
    topic: 'upstream.orders',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderClosedData,
    consumers: ['order-service'],
  }),
  'order-status-changed': defineEvent({
    topic: 'order.events',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderStatusChangedData,
    consumers: ['after-sales-service', 'settlement-service'],
  }),
  'order-cancellation-rejected': defineEvent({
    topic: 'order.events',
    key: 'orderId',
    schemaVersion: 1,
    payload: OrderCancellationRejectedData,
    consumers: ['after-sales-service'],
  }),
  'ticket-opened': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: TicketOpenedData,
    consumers: ['settlement-service'],
  }),
  'ticket-approved': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: TicketApprovedData,
    consumers: [],
  }),
  'ticket-rejected': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: TicketRejectedData,
    consumers: [],
  }),
  'ticket-closed': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: TicketClosedData,
    consumers: ['settlement-service'],
  }),
  'ticket-succeeded': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: TicketSucceededData,
    consumers: ['order-service', 'settlement-service'],
  }),
  'refund-requested': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: RefundRequestedData,
    consumers: ['refund-service'],
  }),
  'order-cancellation-requested': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: OrderCancellationRequestedData,
    consumers: ['order-service'],
  }),
  'compensation-coupon-issued': defineEvent({
    topic: 'after-sales.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: CompensationCouponIssuedData,
    consumers: [],
  }),
  'return-stock-in-requested': defineEvent({
    topic: 'warehouse.tasks',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ReturnStockInRequestedData,
    consumers: ['warehouse-adapter'],
  }),
  'exchange-stock-out-requested': defineEvent({
    topic: 'warehouse.tasks',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ExchangeStockOutRequestedData,
    consumers: ['warehouse-adapter'],
  }),
  'exchange-stock-out-cancellation-requested': defineEvent({
    topic: 'warehouse.tasks',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ExchangeStockOutCancellationRequestedData,
    consumers: ['warehouse-adapter'],
  }),
  'shipment-interception-requested': defineEvent({
    topic: 'warehouse.tasks',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ShipmentInterceptionRequestedData,
    consumers: ['warehouse-adapter'],
  }),
  'return-to-customer-requested': defineEvent({
    topic: 'warehouse.tasks',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ReturnToCustomerRequestedData,
    consumers: ['warehouse-adapter'],
  }),
  'return-stocked': defineEvent({
    topic: 'warehouse.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ReturnStockedData,
    consumers: ['after-sales-service'],
  }),
  'exchange-shipped': defineEvent({
    topic: 'warehouse.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ExchangeShippedData,
    consumers: ['after-sales-service'],
  }),
  'returned-to-customer': defineEvent({
    topic: 'warehouse.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ReturnedToCustomerData,
    consumers: ['after-sales-service'],
  }),
  'shipment-intercepted': defineEvent({
    topic: 'warehouse.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ShipmentInterceptedData,
    consumers: ['after-sales-service'],
  }),
  'shipment-interception-failed': defineEvent({
    topic: 'warehouse.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: ShipmentInterceptionFailedData,
    consumers: ['after-sales-service'],
  }),
  'refund-approved': defineEvent({
    topic: 'refund.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: RefundApprovedData,
    consumers: ['after-sales-service'],
  }),
  'refund-rejected': defineEvent({
    topic: 'refund.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: RefundRejectedData,
    consumers: ['after-sales-service'],
  }),
  'refund-paid': defineEvent({
    topic: 'refund.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: RefundPaidData,
    consumers: ['after-sales-service', 'settlement-service'],
  }),
  'refund-failed': defineEvent({
    topic: 'refund.events',
    key: 'ticketId',
    schemaVersion: 1,
    payload: RefundFailedData,
    consumers: ['after-sales-service'],
  }),
  'settlement-statement-issued': defineEvent({
    topic: 'settlement.events',
    key: 'merchantId',
    schemaVersion: 1,
    payload: SettlementStatementIssuedData,
    consumers: [],
  }),
} as const;

export type EventType = keyof typeof EVENT_REGISTRY;

/** The payload type of each event type: `EventDataMap['refund-paid']` is `RefundPaidData`. */
export type EventDataMap = { [T in EventType]: InstanceType<(typeof EVENT_REGISTRY)[T]['payload']> };

export const EVENT_TYPES = Object.keys(EVENT_REGISTRY) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_REGISTRY, value);
}

export function eventDefinition<T extends EventType>(type: T): EventDefinition<EventDataMap[T]> {
  return EVENT_REGISTRY[type] as unknown as EventDefinition<EventDataMap[T]>;
}

export function eventTypesOn(topic: TopicName): EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_REGISTRY[type].topic === topic);
}

/** The Kafka key of an event: the value of its registered key field. */
export function kafkaKeyOf<T extends EventType>(type: T, data: EventDataMap[T]): string {
  const key = eventDefinition(type).key;
  return data[key] as string;
}
