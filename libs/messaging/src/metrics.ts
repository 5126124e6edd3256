import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The operator's view of messaging, registered once per process in the service's registry. */
export interface MessagingMetrics {
  outboxBacklog: Gauge<string>;
  outboxOldestAge: Gauge<string>;
  outboxPublished: Counter<string>;
  outboxPublishFailures: Counter<string>;
  inboxHandled: Counter<'consumer' | 'type'>;
  inboxDuplicates: Counter<'consumer'>;
  inboxFailures: Counter<'consumer' | 'type'>;
  deadLettered: Counter<'consumer' | 'reason'>;
  consumerLag: Gauge<'consumer' | 'topic' | 'partition'>;
  handleSeconds: Histogram<'consumer'>;
}

const cache = new WeakMap<Registry, MessagingMetrics>();

export function messagingMetrics(registry: Registry): MessagingMetrics {
  const known = cache.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: MessagingMetrics = {
    outboxBacklog: new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox messages not yet published',
      registers,
    }),
    outboxOldestAge: new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox message (0 when none)',
      registers,
    }),
    outboxPublished: new Counter({
      name: 'outbox_published_total',
      help: 'Outbox messages published',
      registers,
    }),
    outboxPublishFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Relay batches that failed to publish (Kafka unreachable, for one) and will be retried',
      registers,
    }),
    inboxHandled: new Counter({
      name: 'inbox_handled_total',
      help: 'Messages handled once (effects committed)',
      labelNames: ['consumer', 'type'],
      registers,
    }),
    inboxDuplicates: new Counter({
      name: 'inbox_duplicates_total',
      help: 'Redelivered messages skipped because the inbox had them already',
      labelNames: ['consumer'],
      registers,
    }),
    inboxFailures: new Counter({
      name: 'inbox_failed_total',
      help: 'Handler attempts that failed (retried or dead-lettered)',
      labelNames: ['consumer', 'type'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'dlq_messages_total',
      help: 'Messages sent to the consumer dead-letter topic',
      labelNames: ['consumer', 'reason'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'High watermark minus the next offset to consume, per partition',
      labelNames: ['consumer', 'topic', 'partition'],
      registers,
    }),
    handleSeconds: new Histogram({
      name: 'inbox_handle_duration_seconds',
      help: 'Time to handle one message including its transaction',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
