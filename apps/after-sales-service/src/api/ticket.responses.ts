import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorView } from '@aftersales/service-kit';
import {
  AFTER_SALES_TYPES,
  AGENT_ACTION_KINDS,
  AUTOMATIC_APPROVALS,
  EXPIRY_ACTIONS,
  INTERCEPTION_STATUSES,
  ITEM_AFTER_SALES_LABELS,
  ITEM_AFTER_SALES_PHASES,
  OFFER_STATUSES,
  REFUND_STATUSES,
  AFTER_SALES_WINDOW_DAYS,
  APPLICATION_REASON_CODES,
  CLOSE_REASONS,
  LINE_OUTCOMES,
  ORDER_STATES,
  PRE_SHIPMENT_REFUND_POLICIES,
  REJECTION_REASON_CODES,
  STOCK_IN_TIMEOUT_ACTIONS,
  TICKET_COMMAND_TYPES,
  TICKET_STATUSES,
  UNIT_DISPOSITIONS,
  WAITING_STATUSES,
} from '../domain';

// What the after-sales API answers, for its OpenAPI document: the controllers return the domain's
// own shapes (TicketView and the rest), and these classes only describe them. A test compares
// real answers with this description, field by field, so the two cannot drift apart unseen.

const MINOR = 'Minor units of the currency (fen): an integer.';
const INSTANT = { type: String, format: 'date-time' } as const;

export class PostalAddressView {
  @ApiProperty() recipient!: string;
  @ApiProperty() phone!: string;
  @ApiProperty() address!: string;
}

export class TicketLineView {
  @ApiProperty() lineId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() title!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ description: MINOR }) unitPrice!: number;
  @ApiProperty({ description: 'Units on the order line.' }) lineQuantity!: number;
  @ApiProperty({ description: 'Units this ticket covers.' }) quantity!: number;
  @ApiProperty({ description: `Cash paid for these units, pro rata of the line. ${MINOR}` })
  actualPaid!: number;
  @ApiProperty({ description: `Coins spent on these units; they go back as coins. ${MINOR}` }) coins!: number;
}

export class DeadlineMinutesView {
  @ApiProperty() PENDING_REVIEW!: number;
  @ApiProperty() AWAITING_CUSTOMER_RETURN!: number;
  @ApiProperty() AWAITING_STOCK_IN!: number;
  @ApiProperty() IN_NEGOTIATION!: number;
  @ApiProperty() AWAITING_EXCHANGE_SHIPMENT!: number;
  @ApiProperty() INTERCEPTING!: number;
}

export class MerchantPolicyView {
  @ApiProperty({ enum: PRE_SHIPMENT_REFUND_POLICIES }) preShipmentRefund!: string;
  @ApiProperty({ enum: AFTER_SALES_WINDOW_DAYS }) afterSalesWindowDays!: number;
  @ApiProperty({
    type: DeadlineMinutesView,
    description: 'How long each waiting state may last, in minutes.',
  })
  deadlineMinutes!: DeadlineMinutesView;
  @ApiProperty({ enum: STOCK_IN_TIMEOUT_ACTIONS }) stockInTimeoutAction!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null: never approved by the system for this.' })
  autoApproveRefundOnlyWithinMinutesOfPayment!: number | null;
  @ApiProperty() exchangeRelaxed!: boolean;
  @ApiProperty({ type: PostalAddressView, nullable: true }) defaultReturnAddress!: PostalAddressView | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `The most shipping subsidy one ticket may carry, all subsidies together; null: no cap. ${MINOR}`,
  })
  shippingSubsidyMax!: number | null;
}

export class RefundAmountsView {
  @ApiProperty({ description: `Sum of the lines' actual paid: the ceiling of any agent change. ${MINOR}` })
  goodsActualPaid!: number;
  @ApiProperty({ description: MINOR }) goodsCoins!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `An agent's adjustment or the accepted offer. ${MINOR}`,
  })
  agreedGoodsAmount!: number | null;
  @ApiProperty({ description: MINOR }) shippingFeeRefund!: number;
  @ApiProperty({ description: MINOR }) shippingSubsidy!: number;
  @ApiProperty({ description: `Delivered as coupons, never cash. ${MINOR}` })
  compensationCouponValue!: number;
  @ApiProperty({ description: MINOR }) goodsCash!: number;
  @ApiProperty({ description: MINOR }) coinsRefund!: number;
  @ApiProperty({ description: `Cash back to the original payment. ${MINOR}` }) totalCash!: number;
}

export class DeadlineView {
  @ApiProperty({ enum: WAITING_STATUSES }) state!: string;
  @ApiProperty(INSTANT) dueAt!: string;
  @ApiProperty({ enum: EXPIRY_ACTIONS, description: 'What happens at dueAt.' }) onExpiry!: string;
}

export class ApprovalView {
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ enum: AUTOMATIC_APPROVALS, nullable: true }) automatic!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class RejectionView {
  @ApiProperty({ enum: REJECTION_REASON_CODES }) reasonCode!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(INSTANT) at!: string;
}

export class ReturnShipmentView {
  @ApiProperty() carrier!: string;
  @ApiProperty() trackingNo!: string;
  @ApiProperty(INSTANT) submittedAt!: string;
}

export class InspectedLineView {
  @ApiProperty() lineId!: string;
  @ApiProperty() expectedQuantity!: number;
  @ApiProperty() quantityReceived!: number;
  @ApiProperty({ enum: UNIT_DISPOSITIONS, isArray: true }) dispositions!: string[];
}

export class InspectionView {
  @ApiProperty({ type: InspectedLineView, isArray: true }) lines!: InspectedLineView[];
  @ApiProperty({ description: 'Whether what arrived is what the ticket expected.' }) matches!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ ...INSTANT, description: 'When the warehouse stocked the return in, by its own report.' })
  inspectedAt!: string;
}

export class OfferView {
  @ApiProperty({ description: MINOR }) amount!: number;
  @ApiProperty() note!: string;
  @ApiProperty({ type: ActorView }) proposedBy!: ActorView;
  @ApiProperty(INSTANT) proposedAt!: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status!: string;
}

export class AgentActionView {
  @ApiProperty({ enum: AGENT_ACTION_KINDS }) kind!: string;
  @ApiProperty({ type: Number, nullable: true, description: MINOR }) amount!: number | null;
  @ApiProperty() note!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(INSTANT) at!: string;
}

export class RefundProgressView {
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: REFUND_STATUSES }) status!: string;
  @ApiProperty({ description: MINOR }) cash!: number;
  @ApiProperty({ description: MINOR }) coins!: number;
  @ApiProperty({ description: "The refund service's idempotency key for this attempt." })
  idempotencyKey!: string;
  @ApiProperty({ description: 'The refund order this attempt asked for, known from the request on.' })
  refundId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed or was rejected.' })
  problem!: string | null;
  @ApiProperty(INSTANT) requestedAt!: string;
  @ApiProperty({
    ...INSTANT,
    nullable: true,
    description: "When the gateway paid, by the refund service's report; null until paid.",
  })
  paidAt!: string | null;
}

export class ShipmentView {
  @ApiProperty() carrier!: string;
  @ApiProperty() trackingNo!: string;
  @ApiProperty({ ...INSTANT, description: "When the parcel left, by the warehouse's own report." })
  shippedAt!: string;
}

export class WarehouseTaskView {
  @ApiProperty({
    enum: ['shipment-interception-requested', 'return-stock-in-requested', 'exchange-stock-out-requested'],
    description: 'The request on warehouse.tasks that opened the task.',
  })
  request!: string;
  @ApiProperty({ format: 'uuid', description: 'The warehouse reports the outcome under this id.' })
  taskId!: string;
}

export class EscalationView {
  @ApiProperty() reason!: string;
  @ApiProperty(INSTANT) at!: string;
}

export class TicketActionView {
  @ApiProperty({ enum: TICKET_COMMAND_TYPES }) command!: string;
  @ApiProperty({ enum: ['POST'] }) method!: string;
  @ApiProperty({ example: '/tickets/5f1c2b7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b/approve' }) path!: string;
}

export class TicketViewResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ example: 'AS202611250000123' }) ticketNo!: string;
  @ApiProperty({ enum: AFTER_SALES_TYPES }) type!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() merchantId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: String, nullable: true }) paymentNo!: string | null;
  @ApiProperty({ enum: ORDER_STATES }) orderStateAtApplication!: string;
  @ApiProperty({ description: MINOR }) orderShippingFee!: number;
  @ApiProperty({
    description:
      'Whether every unit of the order goes back with this ticket, counting units earlier tickets refunded; a refund before shipment then includes the shipping fee.',
  })
  wholeOrder!: boolean;
  @ApiProperty({ type: TicketLineView, isArray: true }) lines!: TicketLineView[];
  @ApiProperty({ enum: APPLICATION_REASON_CODES }) reasonCode!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: String, isArray: true }) evidence!: string[];
  @ApiProperty({ type: PostalAddressView, nullable: true }) exchangeAddress!: PostalAddressView | null;
  @ApiProperty({ type: MerchantPolicyView, description: "The merchant's policy when the ticket was opened." })
  policy!: MerchantPolicyView;
  @ApiProperty({ type: RefundAmountsView }) amounts!: RefundAmountsView;
  @ApiProperty(INSTANT) appliedAt!: string;
  @ApiProperty({
    type: DeadlineView,
    nullable: true,
    description: 'The running deadline, if the ticket waits.',
  })
  deadline!: DeadlineView | null;
  @ApiProperty({ enum: INTERCEPTION_STATUSES, nullable: true }) interception!: string | null;
  @ApiProperty({ type: ApprovalView, nullable: true }) approval!: ApprovalView | null;
  @ApiProperty({ type: RejectionView, nullable: true }) rejection!: RejectionView | null;
  @ApiProperty({ type: PostalAddressView, nullable: true }) returnAddress!: PostalAddressView | null;
  @ApiProperty({ type: ReturnShipmentView, nullable: true }) returnShipment!: ReturnShipmentView | null;
  @ApiProperty({ type: InspectionView, nullable: true }) inspection!: InspectionView | null;
  @ApiProperty({ type: OfferView, nullable: true }) offer!: OfferView | null;
  @ApiProperty({ type: AgentActionView, isArray: true }) agentActions!: AgentActionView[];
  @ApiProperty({ type: RefundProgressView, nullable: true }) refund!: RefundProgressView | null;
  @ApiProperty({ type: ShipmentView, nullable: true, description: "The exchange's replacement parcel." })
  exchangeShipment!: ShipmentView | null;
  @ApiProperty({
    description:
      'A platform ruling told the warehouse not to ship the replacement (exchange-stock-out-cancellation-requested); a replacement that had left anyway shows in exchangeShipment.',
  })
  exchangeStockOutCancelled!: boolean;
  @ApiProperty() goodsReturnRequested!: boolean;
  @ApiProperty({
    type: ShipmentView,
    nullable: true,
    description: 'The parcel that took the goods back to the customer after the close.',
  })
  goodsReturnShipment!: ShipmentView | null;
  @ApiProperty({
    type: WarehouseTaskView,
    nullable: true,
    description:
      'The warehouse task the ticket waits on (intercepting, awaiting stock-in or the exchange shipment).',
  })
  warehouseTask!: WarehouseTaskView | null;
  @ApiProperty({ type: EscalationView, isArray: true }) escalations!: EscalationView[];
  @ApiPropertyOptional({ enum: LINE_OUTCOMES, description: 'Once SUCCEEDED.' }) outcome?: string;
  @ApiPropertyOptional({ enum: CLOSE_REASONS, description: 'Once CLOSED.' }) closeReason?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Once CLOSED.' }) closeNote?:
    string | null;
  @ApiPropertyOptional({ ...INSTANT, description: 'Once SUCCEEDED or CLOSED.' }) endedAt?: string;
  @ApiProperty({
    type: TicketActionView,
    isArray: true,
    description: 'What the caller may do now: one button each.',
  })
  actions!: TicketActionView[];
}

export class TicketPageResponse {
  @ApiProperty({ type: TicketViewResponse, isArray: true }) items!: TicketViewResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null at the end.',
  })
  nextCursor!: string | null;
}

export class TimelineEntryResponse {
  @ApiProperty({ description: "The event's version in the ticket's stream." }) version!: number;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: TICKET_STATUSES, nullable: true }) fromStatus!: string | null;
  @ApiProperty({ enum: TICKET_STATUSES, nullable: true }) toStatus!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() detail!: string;
}

export class ItemAfterSalesStatusView {
  @ApiProperty({ enum: ITEM_AFTER_SALES_PHASES }) phase!: string;
  @ApiProperty({ enum: ITEM_AFTER_SALES_LABELS }) label!: string;
}

export class LineTicketView {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty() ticketNo!: string;
  @ApiProperty({ enum: AFTER_SALES_TYPES }) type!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
}

export class OrderLineStatusView {
  @ApiProperty() lineId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() title!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: ItemAfterSalesStatusView, nullable: true, description: "The line's latest ticket's." })
  afterSales!: ItemAfterSalesStatusView | null;
  @ApiProperty({ type: LineTicketView, isArray: true }) tickets!: LineTicketView[];
}

export class OrderLinesResponse {
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: ORDER_STATES }) orderState!: string;
  @ApiProperty({ type: OrderLineStatusView, isArray: true }) lines!: OrderLineStatusView[];
}

export class StoredPolicyResponse {
  @ApiProperty() merchantId!: string;
  @ApiProperty({ type: MerchantPolicyView }) policy!: MerchantPolicyView;
  @ApiProperty({ description: 'Bumped by every change; 0 for the platform defaults.' }) version!: number;
  @ApiProperty({ ...INSTANT, nullable: true }) updatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who changed it last.' }) updatedBy!:
    string | null;
}
