import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '@aftersales/auth';
import { ApiErrors } from '@aftersales/service-kit';
import { NotFoundError, type Actor } from '@aftersales/kernel';
import type { TicketCommand } from '../domain';
import { ApplyForAfterSalesUseCase } from '../application/apply-for-after-sales';
import { TicketCommandHandler } from '../application/ticket-command.handler';
import {
  AmountDto,
  AmountWithNoteDto,
  ApplyDto,
  ApproveDto,
  CouponDto,
  InterveneDto,
  NoteDto,
  RejectDto,
  RequiredNoteDto,
  ShipmentDto,
} from './ticket.dto';
import { TicketViewResponse } from './ticket.responses';
import { toTicketView, type TicketView } from './ticket.view';

type CommandOf<T extends TicketCommand['type']> = Extract<TicketCommand, { type: T }>;

const AGENTS = ['merchant_agent', 'platform_agent'] as const;

/** Every command answers with the ticket after it (set per route: the document's default 200 would win). */
const AnswersTicket = () =>
  ApiOkResponse({
    type: TicketViewResponse,
    description: 'The ticket after the command, as the caller may see it',
  });

/**
 * Thin adapters: validate the body, build the command with the caller and the clock's now, hand
 * it to the one command handler, and answer with the ticket as the caller may see it.
 */
@ApiTags('tickets')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 409, 422)
@Controller('tickets')
export class TicketCommandsHttpController {
  constructor(
    private readonly tickets: TicketCommandHandler,
    private readonly applications: ApplyForAfterSalesUseCase,
  ) {}

  @Post()
  @Roles('customer')
  @ApiOperation({ summary: 'Apply for after-sales on lines of one of your orders' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retried POST with the same key returns the same ticket; the key with another order, type, reason or lines is 422 idempotency.key-reused',
  })
  @ApiCreatedResponse({
    type: TicketViewResponse,
    description: 'The ticket opened (200: one opened before with this key)',
  })
  async apply(
    @Body() body: ApplyDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('x-correlation-id') correlationId?: string,
  ): Promise<TicketView> {
    const { ticket, created } = await this.applications.apply(
      body.orderId,
      {
        type: body.type,
        lines: body.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
        reasonCode: body.reasonCode,
        description: body.description ?? '',
        evidence: body.evidence ?? [],
        exchangeAddress: body.exchangeAddress ? { ...body.exchangeAddress } : null,
      },
      actor,
      { ...(idempotencyKey ? { idempotencyKey } : {}), ...(correlationId ? { correlationId } : {}) },
    );
    res.status(created ? 201 : 200);
    return toTicketView(ticket, actor);
  }

  @Post(':ticketId/cancel')
  @HttpCode(200)
  @AnswersTicket()
  @Roles('customer')
  cancel(@Param('ticketId', ParseUUIDPipe) id: string, @Body() b: NoteDto, @CurrentActor() actor: Actor) {
    return this.run<'CancelTicket'>(id, 'CancelTicket', { note: b.note ?? null }, actor);
  }

  @Post(':ticketId/return-shipment')
  @HttpCode(200)
  @AnswersTicket()
  @Roles('customer')
  submitReturnShipment(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: ShipmentDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'SubmitReturnShipment'>(
      id,
      'SubmitReturnShipment',
      { carrier: b.carrier, trackingNo: b.trackingNo },
      actor,
    );
  }

  @Post(':ticketId/offer/accept')
  @HttpCode(200)
  @AnswersTicket()
  @Roles('customer')
  acceptOffer(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: AmountDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'AcceptOffer'>(id, 'AcceptOffer', { amount: b.amount }, actor);
  }

  @Post(':ticketId/offer/decline')
  @HttpCode(200)
  @AnswersTicket()
  @Roles('customer')
  declineOffer(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: NoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'DeclineOffer'>(id, 'DeclineOffer', { note: b.note ?? null }, actor);
  }

  @Post(':ticketId/approve')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  approve(@Param('ticketId', ParseUUIDPipe) id: string, @Body() b: ApproveDto, @CurrentActor() actor: Actor) {
    return this.run<'ApproveTicket'>(
      id,
      'ApproveTicket',
      { returnAddress: b.returnAddress ? { ...b.returnAddress } : null, note: b.note ?? null },
      actor,
    );
  }

  @Post(':ticketId/reject')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  reject(@Param('ticketId', ParseUUIDPipe) id: string, @Body() b: RejectDto, @CurrentActor() actor: Actor) {
    return this.run<'RejectTicket'>(id, 'RejectTicket', { reasonCode: b.reasonCode, note: b.note }, actor);
  }

  @Post(':ticketId/offer')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  proposeAmount(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: AmountWithNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'ProposeRefundAmount'>(
      id,
      'ProposeRefundAmount',
      { amount: b.amount, note: b.note },
      actor,
    );
  }

  @Post(':ticketId/refund-amount')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  adjustAmount(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: AmountWithNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'AdjustRefundAmount'>(
      id,
      'AdjustRefundAmount',
      { amount: b.amount, note: b.note },
      actor,
    );
  }

  @Post(':ticketId/shipping-subsidy')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  subsidiseShipping(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: AmountWithNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'SubsidiseShipping'>(id, 'SubsidiseShipping', { amount: b.amount, note: b.note }, actor);
  }

  @Post(':ticketId/compensation-coupon')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  issueCoupon(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: CouponDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'IssueCompensationCoupon'>(
      id,
      'IssueCompensationCoupon',
      { couponValue: b.couponValue, note: b.note },
      actor,
    );
  }

  @Post(':ticketId/ship-exchange')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  shipExchange(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: RequiredNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'ShipExchangeDespiteMismatch'>(
      id,
      'ShipExchangeDespiteMismatch',
      { note: b.note },
      actor,
    );
  }

  @Post(':ticketId/close')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  close(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: RequiredNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'CloseTicket'>(id, 'CloseTicket', { note: b.note }, actor);
  }

  @Post(':ticketId/refund-retry')
  @HttpCode(200)
  @AnswersTicket()
  @Roles(...AGENTS)
  retryRefund(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: RequiredNoteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'RequestRefundAgain'>(id, 'RequestRefundAgain', { note: b.note }, actor);
  }

  @Post(':ticketId/intervene')
  @HttpCode(200)
  @AnswersTicket()
  @Roles('platform_agent')
  intervene(
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() b: InterveneDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.run<'Intervene'>(
      id,
      'Intervene',
      { ruling: b.ruling, note: b.note, amount: b.amount ?? null },
      actor,
    );
  }

  private async run<T extends TicketCommand['type']>(
    ticketId: string,
    type: T,
    data: CommandOf<T>['data'],
    actor: Actor,
  ): Promise<TicketView> {
    const command = { type, data, metadata: { actor, now: this.tickets.now() } } as CommandOf<T>;
    const result = await this.tickets.execute(ticketId, command);
    if (!result) throw new NotFoundError(`ticket ${ticketId} not found`, { ticketId });
    return toTicketView(result.ticket, actor);
  }
}
