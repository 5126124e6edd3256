import { Column, Entity, OneToMany, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';

/** The order as the upstream order system reported it, kept as state (not event-sourced). */
@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ name: 'payment_no', type: 'text', nullable: true })
  paymentNo!: string | null;

  @Column({ name: 'coupon_discount', type: 'bigint' })
  couponDiscount!: string;

  @Column({ name: 'promotion_discount', type: 'bigint' })
  promotionDiscount!: string;

  @Column({ name: 'coins_deduction', type: 'bigint' })
  coinsDeduction!: string;

  @Column({ name: 'shipping_fee', type: 'bigint' })
  shippingFee!: string;

  @Column({ name: 'platform_subsidy', type: 'bigint' })
  platformSubsidy!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  @OneToMany(() => OrderLineEntity, (line) => line.order, { cascade: true, eager: true })
  lines!: OrderLineEntity[];
}

@Entity({ name: 'order_lines' })
export class OrderLineEntity {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  @PrimaryColumn({ name: 'line_id', type: 'text' })
  lineId!: string;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'unit_price', type: 'bigint' })
  unitPrice!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @ManyToOne(() => OrderEntity, (order) => order.lines)
  @JoinColumn({ name: 'order_id' })
  order!: OrderEntity;
}
