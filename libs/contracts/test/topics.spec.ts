import { TOPICS, deadLetterTopic, isDeadLetterTopic } from '../src';

describe('topics', () => {
  it('are the ones the architecture names, plus the upstream order feed', () => {
    expect(Object.keys(TOPICS).sort()).toEqual(
      [
        'after-sales.events',
        'order.events',
        'refund.events',
        'settlement.events',
        'upstream.orders',
        'warehouse.events',
        'warehouse.tasks',
      ].sort(),
    );
  });

  it('name a dead-letter topic per consumer group', () => {
    expect(deadLetterTopic('after-sales-service.refund-events')).toBe(
      'dlq.after-sales-service.refund-events',
    );
    expect(isDeadLetterTopic('dlq.settlement-service')).toBe(true);
    expect(isDeadLetterTopic('refund.events')).toBe(false);
  });

  it('refuse a consumer group that cannot be part of a topic name', () => {
    expect(() => deadLetterTopic('after sales')).toThrow(RangeError);
    expect(() => deadLetterTopic('')).toThrow(RangeError);
    expect(() => deadLetterTopic('g'.repeat(246))).toThrow(RangeError);
    expect(deadLetterTopic('g'.repeat(245))).toHaveLength(249);
  });
});
