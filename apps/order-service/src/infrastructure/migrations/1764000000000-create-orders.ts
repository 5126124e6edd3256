import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764000000000 implements MigrationInterface {
  name = 'CreateOrders1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        order_id text PRIMARY KEY,
        merchant_id text NOT NULL,
        customer_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('PENDING_PAYMENT','AWAITING_SHIPMENT','SHIPPED','COMPLETED','CLOSED')),
        payment_no text,
        coupon_discount bigint NOT NULL DEFAULT 0 CHECK (coupon_discount >= 0),
        promotion_discount bigint NOT NULL DEFAULT 0 CHECK (promotion_discount >= 0),
        coins_deduction bigint NOT NULL DEFAULT 0 CHECK (coins_deduction >= 0),
        shipping_fee bigint NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
        platform_subsidy bigint NOT NULL DEFAULT 0 CHECK (platform_subsidy >= 0),
        placed_at timestamptz NOT NULL,
        paid_at timestamptz,
        shipped_at timestamptz,
        completed_at timestamptz,
        closed_at timestamptz,
        close_reason text
      )`);
    await q.query(`CREATE INDEX orders_merchant_idx ON orders (merchant_id, placed_at)`);
    await q.query(`CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at)`);
    // The passive-cancellation sweep looks only at unpaid orders by age.
    await q.query(`CREATE INDEX orders_unpaid_idx ON orders (placed_at) WHERE state = 'PENDING_PAYMENT'`);
    await q.query(`
      CREATE TABLE order_lines (
        order_id text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
        line_id text NOT NULL,
        sku text NOT NULL,
        title text NOT NULL,
        category text NOT NULL,
        unit_price bigint NOT NULL CHECK (unit_price >= 0),
        quantity int NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (order_id, line_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_lines`);
    await q.query(`DROP TABLE orders`);
  }
}
