/**
 * Services that produce or consume integration events. `upstream-order-system` is the marketplace's
 * existing order system: it is not part of this platform, but we consume its facts, so its
 * contract is written down here like ours.
 */
export const SERVICES = [
  'upstream-order-system',
  'order-service',
  'after-sales-service',
  'refund-service',
  'warehouse-adapter',
  'settlement-service',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface TopicDefinition {
  /** The only service that writes to the topic: one producer per topic keeps ownership obvious. */
  producer: ServiceName;
  description: string;
}

/**
 * Upstream order facts arrive on their own topic rather than on `order.events`: the order service is
 * the anti-corruption layer that deduplicates them, rejects impossible transitions and combines them
 * with the closes it decides itself (cancellation, full refund). Every other service reads the order
 * only from `order.events`, so there is one source of truth for an order's state and one
 * per-order sequence to follow.
 */
export const TOPICS = {
  'upstream.orders': {
    producer: 'upstream-order-system',
    description:
      'Order facts from the upstream order system (placed, paid, shipped, completed, closed). Read only by the order service.',
  },
  'order.events': {
    producer: 'order-service',
    description:
      "The platform's view of each order: every status change carries the full order snapshot, plus answers to cancellation requests.",
  },
  'after-sales.events': {
    producer: 'after-sales-service',
    description:
      'Ticket lifecycle facts and the requests after-sales sends to the order and refund services (cancellation, refund).',
  },
  'refund.events': {
    producer: 'refund-service',
    description: 'Refund order outcomes: approved, rejected by finance, paid, failed.',
  },
  'warehouse.tasks': {
    producer: 'after-sales-service',
    description:
      'Tasks for the warehouse: return stock-in, exchange stock-out (and its cancellation), sending returned goods back, shipment interception.',
  },
  'warehouse.events': {
    producer: 'warehouse-adapter',
    description:
      'Outcomes of warehouse tasks: stocked with inspection, shipped, sent back, intercepted or not.',
  },
  'settlement.events': {
    producer: 'settlement-service',
    description: 'Merchant settlement statements, one per merchant per cycle.',
  },
} as const satisfies Record<string, TopicDefinition>;

export type TopicName = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];

const DEAD_LETTER_PREFIX = 'dlq.';
// Kafka's own limits on topic names: legal characters and at most 249 of them.
const KAFKA_TOPIC_CHARS = /^[A-Za-z0-9._-]+$/;
const KAFKA_TOPIC_MAX_LENGTH = 249;

/**
 * Dead letters are kept per consumer group, not per source topic: the same message can be fine for
 * one consumer and poison for another, and each group must be able to replay its own failures.
 */
export function deadLetterTopic(consumerGroup: string): string {
  const topic = `${DEAD_LETTER_PREFIX}${consumerGroup}`;
  if (!KAFKA_TOPIC_CHARS.test(consumerGroup) || topic.length > KAFKA_TOPIC_MAX_LENGTH) {
    throw new RangeError(
      `consumer group "${consumerGroup}" cannot name a dead-letter topic: use [A-Za-z0-9._-], at most ${
        KAFKA_TOPIC_MAX_LENGTH - DEAD_LETTER_PREFIX.length
      } characters`,
    );
  }
  return topic;
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.startsWith(DEAD_LETTER_PREFIX) && topic.length > DEAD_LETTER_PREFIX.length;
}
