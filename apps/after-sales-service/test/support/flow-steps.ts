import { HOUR, MINUTE } from '@aftersales/kernel';
import type { EventDataMap } from '@aftersales/contracts';
import { CUSTOMER, RETURN_ADDRESS, type AfterSalesHarness } from './after-sales-harness';

/** The refund service reports a payment this long after the gateway made it. */
export const PAYMENT_REPORTED_AFTER = 5 * MINUTE;

const WAREHOUSE = { role: 'warehouse' as const, id: 'WH-SH-01' };
const FINANCE = { role: 'system' as const, id: 'refund-service' };

/** Steps the other services take in a flow, each as the events they would publish. */
export class FlowSteps {
  constructor(private readonly h: AfterSalesHarness) {}

  /** Platform agent p-9 rules on the ticket over HTTP; answers with the response. */
  async rule(ticketId: string, ruling: 'RECORD_ONLY' | 'FORCE_CLOSE' | 'FORCE_REFUND', note: string) {
    return this.h.command(
      ticketId,
      'intervene',
      { ruling, note },
      await this.h.bearer('platform_agent', 'p-9'),
    );
  }

  async applyFor(
    orderId: string,
    type: string,
    lines: { lineId: string; quantity: number }[],
    extra: Record<string, unknown> = {},
  ) {
    const res = await this.h.apply({
      orderId,
      type,
      lines,
      reasonCode: 'QUALITY_PROBLEM',
      description: 'It broke',
      ...extra,
    });
    if (res.status !== 201) throw new Error(`apply answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { ticketId: string; ticketNo: string; status: string; [k: string]: unknown };
  }

  async approveReturn(ticketId: string) {
    const res = await this.h.command(ticketId, 'approve', {
      returnAddress: RETURN_ADDRESS,
      note: 'Please send it back',
    });
    if (res.status !== 200) throw new Error(`approve answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  async shipBack(ticketId: string) {
    const res = await this.h.command(
      ticketId,
      'return-shipment',
      { carrier: 'SF Express', trackingNo: 'SF1234567890' },
      await this.h.customer(),
    );
    if (res.status !== 200)
      throw new Error(`return-shipment answered ${res.status}: ${JSON.stringify(res.body)}`);
    await this.h.awaitEvent(ticketId, 'return-stock-in-requested');
  }

  /** The warehouse stocks the return in; `damaged` units of each line are found damaged. */
  /** Reports the return stocked in, every unit restockable unless `options` says otherwise. */
  async stockIn(ticketId: string, options: { damaged?: number; missing?: number; taskId?: string } = {}) {
    const task = this.h.eventOf(ticketId, 'return-stock-in-requested').data;
    const lines = task.lines.map((line, i) => {
      const damaged = i === 0 ? (options.damaged ?? 0) : 0;
      const missing = i === 0 ? (options.missing ?? 0) : 0;
      const units = Array.from({ length: line.quantity }, (_, u) => ({
        disposition:
          u < damaged ? 'DAMAGED_OR_NOT_AS_DESCRIBED' : u < damaged + missing ? 'MISSING' : 'RESTOCKABLE',
      }));
      return {
        lineId: line.lineId,
        sku: line.sku,
        quantityExpected: line.quantity,
        quantityReceived: line.quantity - missing,
        units,
      };
    });
    return this.h.publish(
      'return-stocked',
      {
        taskId: options.taskId ?? task.taskId,
        ticketId,
        ticketNo: task.ticketNo,
        orderId: task.orderId,
        warehouseId: WAREHOUSE.id,
        lines,
        stockedAt: this.h.clock.now().toISOString(),
      } as EventDataMap['return-stocked'],
      WAREHOUSE,
    );
  }

  /** Reports the requested refund paid and answers with the request. */
  async payRefund(ticketId: string) {
    await this.reportRefundPaid(ticketId);
    return (await this.h.awaitEvent(ticketId, 'refund-requested')).data;
  }

  /** Publishes refund-paid for the requested refund: as requested, or as `change` makes the report. */
  async reportRefundPaid(
    ticketId: string,
    change: (paid: EventDataMap['refund-paid']) => EventDataMap['refund-paid'] = (paid) => paid,
  ) {
    const requested = (await this.h.awaitEvent(ticketId, 'refund-requested')).data;
    return this.h.publish(
      'refund-paid',
      change({
        refundId: requested.refundId,
        ticketId,
        ticketNo: requested.ticketNo,
        orderId: requested.orderId,
        merchantId: requested.merchantId,
        paymentNo: requested.paymentNo,
        cashAmount: requested.cashAmount,
        coinsAmount: requested.coinsAmount,
        breakdown: requested.breakdown,
        gatewayTransactionId: 'GW-1',
        paidAt: new Date(this.h.clock.now().getTime() - PAYMENT_REPORTED_AFTER).toISOString(),
      } as EventDataMap['refund-paid']),
      FINANCE,
    );
  }

  /** Finance approves the requested refund, as requested. */
  async approveRefund(ticketId: string) {
    const requested = (await this.h.awaitEvent(ticketId, 'refund-requested')).data;
    return this.h.publish(
      'refund-approved',
      {
        refundId: requested.refundId,
        ticketId,
        ticketNo: requested.ticketNo,
        orderId: requested.orderId,
        merchantId: requested.merchantId,
        cashAmount: requested.cashAmount,
        coinsAmount: requested.coinsAmount,
        automatic: false,
      } as EventDataMap['refund-approved'],
      { role: 'finance', id: 'clerk-7' },
    );
  }

  async intercept(ticketId: string, intercepted: boolean) {
    const task = (await this.h.awaitEvent(ticketId, 'shipment-interception-requested')).data;
    const base = { taskId: task.taskId, ticketId, ticketNo: task.ticketNo, orderId: task.orderId };
    if (intercepted) {
      return this.h.publish(
        'shipment-intercepted',
        { ...base, interceptedAt: this.h.clock.now().toISOString() } as EventDataMap['shipment-intercepted'],
        WAREHOUSE,
      );
    } else {
      return this.h.publish(
        'shipment-interception-failed',
        {
          ...base,
          reason: 'ALREADY_SHIPPED',
          note: 'Handed to the carrier',
        } as EventDataMap['shipment-interception-failed'],
        WAREHOUSE,
      );
    }
  }

  /** Reports the goods the ticket held sent back to the customer, as the send-back task listed them. */
  async returnToCustomer(ticketId: string) {
    const task = (await this.h.awaitEvent(ticketId, 'return-to-customer-requested')).data;
    return this.h.publish(
      'returned-to-customer',
      {
        taskId: task.taskId,
        ticketId,
        ticketNo: task.ticketNo,
        orderId: task.orderId,
        lines: task.lines,
        carrier: 'SF Express',
        trackingNo: 'SF7777888899',
        shippedAt: this.h.clock.now().toISOString(),
      } as EventDataMap['returned-to-customer'],
      WAREHOUSE,
    );
  }

  /** Reports the replacement shipped: the stock-out task's lines unless `lines` says otherwise. */
  async shipExchange(ticketId: string, lines?: EventDataMap['exchange-shipped']['lines']) {
    const task = (await this.h.awaitEvent(ticketId, 'exchange-stock-out-requested')).data;
    return this.h.publish(
      'exchange-shipped',
      {
        taskId: task.taskId,
        ticketId,
        ticketNo: task.ticketNo,
        orderId: task.orderId,
        lines: lines ?? task.lines,
        carrier: 'JD Logistics',
        trackingNo: 'JD0099887766',
        // The warehouse reports what it did a while after it did it.
        shippedAt: new Date(this.h.clock.now().getTime() - 2 * HOUR).toISOString(),
      } as EventDataMap['exchange-shipped'],
      WAREHOUSE,
    );
  }
}

export { CUSTOMER };
