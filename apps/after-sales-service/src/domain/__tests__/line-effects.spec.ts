import { isOrderFullyRefunded, itemAfterSalesStatus, lineEffectsOf } from '../line-effects';
import type { TicketEvent } from '../ticket.events';
import { decide } from '../ticket.decider';
import { evolve, evolveAll, initialState, type TicketState } from '../ticket.state';
import {
  anOrder,
  application,
  approveRefund,
  GIVEN_BY_STATUS,
  history,
  paidAsAsked,
  refundOnlyApplication,
  stateOf,
  wholeOrder,
} from './ticket.fixtures';

/** Every line effect of a history, in order, as the projection would see them. */
function effectsOf(events: readonly TicketEvent[]): ReturnType<typeof lineEffectsOf> {
  let state: TicketState = initialState;
  return events.flatMap((event) => {
    state = evolve(state, event);
    return lineEffectsOf(event, state);
  });
}

describe('line effects', () => {
  it('locks the lines when a ticket is applied for', () => {
    expect(
      effectsOf(
        history(
          application({
            lines: [
              { lineId: 'L1', quantity: 1 },
              { lineId: 'L3', quantity: 2 },
            ],
          }),
        ),
      ),
    ).toEqual([
      { kind: 'LOCKED', ticketId: 'ticket-1', lineId: 'L1', quantity: 1 },
      { kind: 'LOCKED', ticketId: 'ticket-1', lineId: 'L3', quantity: 2 },
    ]);
  });

  it('releases them when the ticket closes', () => {
    expect(effectsOf(GIVEN_BY_STATUS.CLOSED()).slice(1)).toEqual([
      { kind: 'RELEASED', ticketId: 'ticket-1', lineId: 'L1' },
    ]);
  });

  it('records the outcome when it succeeds, flagging lines refunded in full', () => {
    const approved = history(
      refundOnlyApplication({
        lines: [
          { lineId: 'L1', quantity: 1 },
          { lineId: 'L2', quantity: 1 },
        ],
      }),
      approveRefund(),
    );
    const events = [...approved, ...decide(paidAsAsked(approved, 'r'), evolveAll(approved))];
    expect(effectsOf(events).filter((effect) => effect.kind === 'SUCCEEDED')).toEqual([
      {
        kind: 'SUCCEEDED',
        ticketId: 'ticket-1',
        lineId: 'L1',
        quantity: 1,
        lineQuantity: 2,
        outcome: 'REFUNDED',
        fullyRefunded: false,
      },
      {
        kind: 'SUCCEEDED',
        ticketId: 'ticket-1',
        lineId: 'L2',
        quantity: 1,
        lineQuantity: 1,
        outcome: 'REFUNDED',
        fullyRefunded: true,
      },
    ]);
  });

  it('has no effect for events in between', () => {
    const events = GIVEN_BY_STATUS.AWAITING_REFUND();
    expect(effectsOf(events).map((effect) => effect.kind)).toEqual(['LOCKED']);
  });

  it('closes the order only when refunds cover every unit of every line', () => {
    const order = anOrder();
    const all = wholeOrder(order).map((line) => ({ ...line, outcome: 'REFUNDED' as const }));
    expect(isOrderFullyRefunded(order, all)).toBe(true);
    expect(
      isOrderFullyRefunded(
        order,
        all.map((line) => (line.lineId === 'L3' ? { ...line, outcome: 'RETURNED' as const } : line)),
      ),
    ).toBe(true);
    expect(
      isOrderFullyRefunded(
        order,
        all.map((line) => (line.lineId === 'L1' ? { ...line, quantity: 1 } : line)),
      ),
    ).toBe(false);
    expect(
      isOrderFullyRefunded(
        order,
        all.map((line) => (line.lineId === 'L2' ? { ...line, outcome: 'EXCHANGED' as const } : line)),
      ),
    ).toBe(false);
  });

  it('shows the item badge: in progress by type, done by outcome, closed', () => {
    expect(itemAfterSalesStatus(stateOf(history(application({ type: 'EXCHANGE' }))))).toEqual({
      phase: 'IN_PROGRESS',
      label: 'EXCHANGING',
    });
    expect(itemAfterSalesStatus(stateOf(GIVEN_BY_STATUS.CANCELLING()))).toEqual({
      phase: 'IN_PROGRESS',
      label: 'CANCELLING',
    });
    expect(itemAfterSalesStatus(stateOf(GIVEN_BY_STATUS.SUCCEEDED()))).toEqual({
      phase: 'DONE',
      label: 'REFUNDED',
    });
    expect(itemAfterSalesStatus(stateOf(GIVEN_BY_STATUS.CLOSED()))).toEqual({
      phase: 'CLOSED',
      label: 'CLOSED',
    });
  });
});
