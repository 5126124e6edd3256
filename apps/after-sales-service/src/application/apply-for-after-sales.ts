import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { NotFoundError, RuleViolationError, type Actor } from '@aftersales/kernel';
import { PG_POOL } from '@aftersales/messaging';
import type { ApplyForAfterSales, Ticket } from '../domain';
import { withDefaults } from '../infrastructure/merchant-policy.repository';
import { loadApplicationFacts } from '../infrastructure/order-projection.repository';
import { AfterSalesServiceConfig } from '../after-sales-service.config';
import { ID_GENERATOR, type IdGenerator } from './ids';
import { TicketCommandHandler } from './ticket-command.handler';

export interface ApplyResult {
  ticket: Ticket;
  /** False when an earlier request with the same Idempotency-Key created the ticket. */
  created: boolean;
}

const TICKET_NO_DIGITS = 7;

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** YYYYMMDD of `at` in `timeZone`. */
function dayIn(at: Date, timeZone: string): string {
  let format = DAY_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    DAY_FORMATS.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: 'year' | 'month' | 'day'): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}

/**
 * `AS` + the day in the marketplace's time zone + 7 digits of a sequence: the number customers,
 * agents and warehouses quote. The sequence never restarts, so only its last 7 digits are shown:
 * two tickets can share a number only if ten million are opened in one day, and the contract's
 * fixed width holds past ten million tickets.
 */
export function ticketNumber(at: Date, sequence: number, timeZone: string): string {
  return `AS${dayIn(at, timeZone)}${String(sequence % 10 ** TICKET_NO_DIGITS).padStart(TICKET_NO_DIGITS, '0')}`;
}

/**
 * Whether `ticket` is what this application asked for: the same order, type, reason and lines in
 * the same quantities (none, for a cancel-order, meaning the whole order). What a retry repeats.
 */
export function isSameApplication(
  ticket: Ticket,
  orderId: string,
  data: ApplyForAfterSales['data'],
): boolean {
  if (ticket.orderId !== orderId || ticket.type !== data.type || ticket.reasonCode !== data.reasonCode) {
    return false;
  }
  if (data.lines.length === 0) return data.type === 'CANCEL_ORDER';
  const asked = new Map(data.lines.map((line) => [line.lineId, line.quantity]));
  return (
    asked.size === data.lines.length &&
    ticket.lines.length === asked.size &&
    ticket.lines.every((line) => asked.get(line.lineId) === line.quantity)
  );
}

@Injectable()
export class ApplyForAfterSalesUseCase {
  constructor(
    private readonly tickets: TicketCommandHandler,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly config: AfterSalesServiceConfig,
  ) {}

  async apply(
    orderId: string,
    data: ApplyForAfterSales['data'],
    actor: Actor,
    options: { idempotencyKey?: string; correlationId?: string } = {},
  ): Promise<ApplyResult> {
    const key = options.idempotencyKey;
    if (key) {
      const earlier = await this.earlierTicket(actor.id, key);
      if (earlier) return this.retried(earlier, key, orderId, data);
    }
    try {
      const facts = await loadApplicationFacts(this.pool, orderId);
      const order = facts.order;
      if (!order) throw new NotFoundError(`order ${orderId} is not known to after-sales`, { orderId });
      const now = this.tickets.now();
      const ticketId = this.ids.newId();
      const result = await this.tickets.execute(
        ticketId,
        { type: 'ApplyForAfterSales', data, metadata: { actor, now } },
        {
          context: {
            application: {
              ticketId,
              ticketNo: ticketNumber(now, facts.sequence, this.config.MARKETPLACE_TIME_ZONE),
              order,
              lineHistory: facts.lineHistory,
              policy: withDefaults(facts.policy),
            },
          },
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          ...(key
            ? {
                metadata: { idempotencyKey: key },
                // In the ticket's own statement: a retry racing this one fails on apply_requests_pkey.
                alsoWrite: (param, guard) => `apply_request AS (
                  INSERT INTO apply_requests (customer_id, idempotency_key, ticket_id)
                  SELECT ${param(actor.id, 'text')}, ${param(key, 'text')}, ${param(ticketId, 'text')} WHERE ${guard})`,
              }
            : {}),
        },
      );
      if (!result) throw new Error('an application produced no ticket');
      return { ticket: result.ticket, created: true };
    } catch (e) {
      // The same key raced in twice: the first one won; answer with its ticket.
      if (key && (e as { code?: string; constraint?: string }).constraint === 'apply_requests_pkey') {
        const earlier = await this.earlierTicket(actor.id, key);
        if (earlier) return this.retried(earlier, key, orderId, data);
      }
      throw e;
    }
  }

  /** A retry is answered with the ticket its key created; another request under that key is refused. */
  private retried(
    earlier: Ticket,
    key: string,
    orderId: string,
    data: ApplyForAfterSales['data'],
  ): ApplyResult {
    if (!isSameApplication(earlier, orderId, data)) {
      throw new RuleViolationError(
        `Idempotency-Key ${key} was used for another application (ticket ${earlier.ticketNo}); use a new key for a new one`,
        'idempotency.key-reused',
        { ticketId: earlier.ticketId },
      );
    }
    return { ticket: earlier, created: false };
  }

  private async earlierTicket(customerId: string, key: string): Promise<Ticket | null> {
    const { rows } = await this.pool.query<{ ticket_id: string }>(
      `SELECT ticket_id FROM apply_requests WHERE customer_id = $1 AND idempotency_key = $2`,
      [customerId, key],
    );
    if (!rows[0]) return null;
    const { state } = await this.tickets.load(rows[0].ticket_id);
    return state.status === 'NONE' ? null : state;
  }
}
