import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrderEntity } from '../infrastructure/order.entity';

export class OrderLineView {
  @ApiProperty() lineId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() title!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ description: 'minor units' }) unitPrice!: number;
  @ApiProperty() quantity!: number;
}

export class OrderView {
  @ApiProperty() orderId!: string;
  @ApiProperty() merchantId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['PENDING_PAYMENT', 'AWAITING_SHIPMENT', 'SHIPPED', 'COMPLETED', 'CLOSED'] })
  state!: string;
  @ApiPropertyOptional({ nullable: true }) paymentNo!: string | null;
  @ApiProperty({ description: 'minor units' }) couponDiscount!: number;
  @ApiProperty({ description: 'minor units' }) promotionDiscount!: number;
  @ApiProperty({ description: 'minor units' }) coinsDeduction!: number;
  @ApiProperty({ description: 'minor units' }) shippingFee!: number;
  @ApiProperty({ description: 'minor units' }) platformSubsidy!: number;
  @ApiProperty() placedAt!: string;
  @ApiPropertyOptional({ nullable: true }) paidAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) closeReason!: string | null;
  @ApiProperty({ type: [OrderLineView] }) lines!: OrderLineView[];
}

// bigint columns arrive from pg as strings; amounts in minor units stay far below 2^53.
export function toOrderView(o: OrderEntity): OrderView {
  return {
    orderId: o.orderId,
    merchantId: o.merchantId,
    customerId: o.customerId,
    state: o.state,
    paymentNo: o.paymentNo,
    couponDiscount: Number(o.couponDiscount),
    promotionDiscount: Number(o.promotionDiscount),
    coinsDeduction: Number(o.coinsDeduction),
    shippingFee: Number(o.shippingFee),
    platformSubsidy: Number(o.platformSubsidy),
    placedAt: o.placedAt.toISOString(),
    paidAt: o.paidAt ? o.paidAt.toISOString() : null,
    closeReason: o.closeReason,
    lines: [...o.lines]
      .sort((a, b) => a.lineId.localeCompare(b.lineId))
      .map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        title: l.title,
        category: l.category,
        unitPrice: Number(l.unitPrice),
        quantity: l.quantity,
      })),
  };
}
