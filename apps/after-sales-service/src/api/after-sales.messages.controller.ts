import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { AnyEventEnvelope } from '@aftersales/contracts';
import { CLOCK, IllegalStateError, type Clock } from '@aftersales/kernel';
import type { InboxHandlerContext } from '@aftersales/messaging';
import { TicketCommandHandler } from '../application/ticket-command.handler';
import {
  cancelOutcomeFor,
  orderSnapshotFromStatusChange,
  toTicketCommand,
} from '../application/integration/inbound';
import { saveOrder } from '../infrastructure/order-projection.repository';

/**
 * What after-sales hears on Kafka. Each handler runs in the inbox transaction: its effects and the
 * inbox row commit together, so a redelivered event changes nothing the second time.
 */
@Controller()
export class AfterSalesMessagesController {
  private readonly logger = new Logger('AfterSalesMessages');

  constructor(
    private readonly tickets: TicketCommandHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Keeps the order copy eligibility is judged on, and ends cancel-order tickets waiting on it. */
  @EventPattern('order-status-changed')
  async orderStatusChanged(
    @Payload() envelope: AnyEventEnvelope,
    @Ctx() ctx: InboxHandlerContext,
  ): Promise<void> {
    if (envelope.type !== 'order-status-changed') return;
    const order = orderSnapshotFromStatusChange(envelope.data);
    const applied = await saveOrder(ctx.tx, order, envelope.data.revision, this.clock.now());
    const outcome = cancelOutcomeFor(order);
    if (!applied || !outcome) return;
    const { rows } = await ctx.tx.query<{ ticket_id: string }>(
      `SELECT ticket_id FROM tickets WHERE order_id = $1 AND status = 'CANCELLING'`,
      [order.orderId],
    );
    for (const { ticket_id } of rows) {
      await this.tickets.execute(
        ticket_id,
        { type: outcome, data: {}, metadata: { actor: envelope.actor, now: this.clock.now() } },
        { tx: ctx.tx, correlationId: envelope.correlationId, causationId: envelope.id },
      );
    }
  }

  @EventPattern('order-cancellation-rejected')
  cancellationRejected(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('return-stocked')
  returnStocked(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('exchange-shipped')
  exchangeShipped(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('returned-to-customer')
  returnedToCustomer(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('shipment-intercepted')
  shipmentIntercepted(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('shipment-interception-failed')
  interceptionFailed(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('refund-paid')
  refundPaid(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('refund-approved')
  refundApproved(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('refund-failed')
  refundFailed(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  @EventPattern('refund-rejected')
  refundRejected(@Payload() e: AnyEventEnvelope, @Ctx() ctx: InboxHandlerContext) {
    return this.toTicket(e, ctx);
  }

  private async toTicket(envelope: AnyEventEnvelope, ctx: InboxHandlerContext): Promise<void> {
    const mapped = toTicketCommand(envelope, this.clock.now());
    if (!mapped) return;
    try {
      await this.tickets.execute(mapped.ticketId, mapped.command, {
        tx: ctx.tx,
        correlationId: envelope.correlationId,
        causationId: envelope.id,
      });
    } catch (e) {
      // Two facts can report one outcome (the order service answers a cancellation both with the
      // order's new status and with a rejection): the later one finds the ticket already ended.
      // That is no poison message; anything else the ticket refuses still goes to the DLQ.
      const state = e instanceof IllegalStateError ? e.details?.['state'] : undefined;
      if (state === 'SUCCEEDED' || state === 'CLOSED') {
        this.logger.log(
          `${envelope.type} ${envelope.id} arrived after ticket ${mapped.ticketId} ended (${state}); nothing to do`,
        );
        return;
      }
      throw e;
    }
  }
}
