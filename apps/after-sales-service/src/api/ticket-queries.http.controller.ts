import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Inject } from '@nestjs/common';
import { CurrentActor, Roles } from '@aftersales/auth';
import { ApiErrors } from '@aftersales/service-kit';
import { ForbiddenError, NotFoundError, ValidationError, type Actor } from '@aftersales/kernel';
import type { EventStore } from '@aftersales/event-store';
import { PG_POOL } from '@aftersales/messaging';
import { TICKET_EVENT_STORE } from '../application/ticket-command.handler';
import { itemAfterSalesStatus } from '../domain';
import { loadOrder } from '../infrastructure/order-projection.repository';
import {
  decodeCursor,
  findTicket,
  searchTickets,
  ticketsOfOrder,
  findTicketTimeline,
  type TimelineEntryView,
} from '../infrastructure/ticket-queries';
import { TicketSearchQuery } from './ticket.dto';
import {
  OrderLinesResponse,
  TicketPageResponse,
  TicketViewResponse,
  TimelineEntryResponse,
} from './ticket.responses';
import { assertMayRead, toTicketView, type TicketView } from './ticket.view';

const READERS = ['customer', 'merchant_agent', 'platform_agent', 'finance'] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404)
@Controller()
export class TicketQueriesHttpController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TICKET_EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('tickets/:ticketId')
  @Roles(...READERS)
  @ApiOkResponse({ type: TicketViewResponse })
  async get(
    @Param('ticketId', ParseUUIDPipe) ticketId: string,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    const ticket = await findTicket(this.pool, this.store, ticketId);
    if (!ticket) throw new NotFoundError(`ticket ${ticketId} not found`, { ticketId });
    assertMayRead(actor, ticket);
    return toTicketView(ticket, actor);
  }

  @Get('tickets')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'Search tickets, newest first; customers see their own, merchant agents their merchant’s (another customerId or merchantId is 403)',
  })
  @ApiOkResponse({ type: TicketPageResponse })
  async search(@Query() q: TicketSearchQuery, @CurrentActor() actor: Actor) {
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !cursor) throw new ValidationError('cursor is not one this API returned', 'cursor');
    // Asking for someone else's tickets is refused, not answered with one's own under their name.
    if (actor.role === 'customer' && q.customerId !== undefined && q.customerId !== actor.id) {
      throw new ForbiddenError('A customer searches their own tickets only', 'customerId');
    }
    if (actor.role === 'merchant_agent' && q.merchantId !== undefined && q.merchantId !== actor.merchantId) {
      throw new ForbiddenError('A merchant agent searches their own merchant’s tickets only', 'merchantId');
    }
    const page = await searchTickets(
      this.pool,
      this.store,
      {
        ...q,
        limit: q.limit ?? 20,
        // The caller's scope is not a filter they can widen.
        ...(actor.role === 'customer' ? { customerId: actor.id } : {}),
        ...(actor.role === 'merchant_agent' ? { merchantId: actor.merchantId } : {}),
      },
      cursor,
    );
    return { items: page.items.map((t) => toTicketView(t, actor)), nextCursor: page.nextCursor };
  }

  @Get('tickets/:ticketId/timeline')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The negotiation timeline: every action with who, when, state before/after and details',
  })
  @ApiOkResponse({ type: TimelineEntryResponse, isArray: true })
  async timeline(
    @Param('ticketId', ParseUUIDPipe) ticketId: string,
    @CurrentActor() actor: Actor,
  ): Promise<TimelineEntryView[]> {
    const found = await findTicketTimeline(this.pool, this.store, ticketId);
    if (!found) throw new NotFoundError(`ticket ${ticketId} not found`, { ticketId });
    assertMayRead(actor, found.ticket);
    return found.entries;
  }

  @Get('orders/:orderId/lines')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Per order line: its after-sales status (in progress, done, closed) and tickets' })
  @ApiOkResponse({ type: OrderLinesResponse })
  async orderLines(@Param('orderId') orderId: string, @CurrentActor() actor: Actor) {
    const order = await loadOrder(this.pool, orderId);
    if (!order) throw new NotFoundError(`order ${orderId} is not known to after-sales`, { orderId });
    assertMayRead(actor, { customerId: order.customerId, merchantId: order.merchantId, ticketId: orderId });
    const tickets = await ticketsOfOrder(this.pool, this.store, orderId);
    return {
      orderId,
      orderState: order.state,
      lines: order.lines.map((line) => {
        const mine = tickets.filter((t) => t.lines.some((l) => l.lineId === line.lineId));
        const latest = mine[mine.length - 1];
        return {
          lineId: line.lineId,
          sku: line.sku,
          title: line.title,
          quantity: line.quantity,
          afterSales: latest ? itemAfterSalesStatus(latest) : null,
          tickets: mine.map((t) => ({
            ticketId: t.ticketId,
            ticketNo: t.ticketNo,
            type: t.type,
            status: t.status,
          })),
        };
      }),
    };
  }
}
