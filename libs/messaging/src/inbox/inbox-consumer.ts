import type { Pool } from 'pg';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { createProducer } from '../kafka/kafka-client';
import { Registry } from 'prom-client';
import { withTransaction, type SqlClient } from '@aftersales/event-store';
import { PlatformError, systemClock, type Clock } from '@aftersales/kernel';
import { messagingMetrics, type MessagingMetrics } from '../metrics';
import { deadLetterHeaders, deadLetterTopic, type DeadLetterInfo } from './dead-letter';

export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** What a parser makes of a raw message: the typed event with its id and type, or why not. */
export type ParseResult<E> = { ok: true; id: string; type: string; event: E } | { ok: false; error: string };

export interface InboxHandlerContext {
  /** The transaction the inbox row is written in: write the effects through it. */
  tx: SqlClient;
  message: RawMessage;
  attempt: number;
}

export interface InboxConsumerOptions<E> {
  kafka: Kafka;
  pool: Pool;
  groupId: string;
  topics: string[];
  parse: (message: RawMessage) => ParseResult<E>;
  handle: (event: E, ctx: InboxHandlerContext) => Promise<void>;
  /** Attempts before a failing message goes to the dead-letter topic. */
  maxAttempts?: number;
  backoffMs?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  registry?: Registry;
  clock?: Clock;
  /** A message's handling failed (it is retried or dead-lettered), or, without a message, pruning did. */
  onError?: (error: Error, message?: RawMessage) => void;
  /**
   * How long a handled event's row is kept to recognise a redelivery: longer than the topics keep
   * messages (14 days in deploy/k8s/kafka), since nothing older can come again. 30 days by default.
   */
  retentionHours?: number;
  pruneIntervalMs?: number;
}

/**
 * Idempotent inbox over a Kafka consumer group. Each message is handled in one PostgreSQL
 * transaction that also records (consumer, event id); a redelivery finds the row and has no
 * second effect. A message that does not parse, or whose handler keeps failing, goes to the
 * group's dead-letter topic with the error in its headers, and the consumer moves on.
 * Errors of the platform family that no retry can fix (validation, rule, not-found) go to the
 * dead-letter topic at once.
 */
export class InboxConsumer<E> {
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly metrics: MessagingMetrics;
  private readonly clock: Clock;
  private stopping = false;
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly options: InboxConsumerOptions<E>) {
    this.metrics = messagingMetrics(options.registry ?? new Registry());
    this.clock = options.clock ?? systemClock;
  }

  get deadLetterTopic(): string {
    return deadLetterTopic(this.options.groupId);
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.stopping = false;
    this.producer = createProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      allowAutoTopicCreation: true,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: (b) => this.eachBatch(b),
    });
    this.pruneTimer = setInterval(() => {
      this.pruneHandled().catch((e: Error) => this.options.onError?.(e));
    }, this.options.pruneIntervalMs ?? 3_600_000);
    this.pruneTimer.unref();
  }

  /** Deletes this consumer's inbox rows older than the retention, a bounded batch at a time. */
  async pruneHandled(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.options.pool.query(
        `DELETE FROM inbox WHERE consumer = $1 AND event_id IN (
           SELECT event_id FROM inbox
           WHERE consumer = $1 AND handled_at < clock_timestamp() - make_interval(hours => $2) LIMIT 10000)`,
        [this.options.groupId, this.options.retentionHours ?? 720],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < 10_000) return total;
    }
  }

  async stop(): Promise<void> {
    // Lets a message that waits out a database outage give up, so disconnect does not wait forever.
    this.stopping = true;
    clearInterval(this.pruneTimer);
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) return;
      if (!(await this.process(toRaw(batch.topic, batch.partition, m)))) return;
      resolveOffset(m.offset);
      await heartbeat();
    }
    const lag = Number(batch.highWatermark) - (Number(batch.lastOffset()) + 1);
    this.metrics.consumerLag.set(
      { consumer: this.options.groupId, topic: batch.topic, partition: String(batch.partition) },
      Math.max(0, lag),
    );
  }

  /**
   * Handles one message to the end: effects committed, duplicate skipped, or dead-lettered. False
   * when the consumer stopped while the database was away: the offset stays uncommitted and the
   * message comes again.
   */
  private async process(message: RawMessage): Promise<boolean> {
    const consumer = this.options.groupId;
    const parsed = this.options.parse(message);
    if (!parsed.ok) {
      await this.deadLetter(message, { reason: 'invalid', error: parsed.error, attempts: 0 });
      return true;
    }
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const endTimer = this.metrics.handleSeconds.startTimer({ consumer });
      try {
        const handled = await this.handleOnce(parsed, message, attempt);
        if (handled) this.metrics.inboxHandled.inc({ consumer, type: parsed.type });
        else this.metrics.inboxDuplicates.inc({ consumer });
        return true;
      } catch (e) {
        const error = e as Error;
        this.metrics.inboxFailures.inc({ consumer, type: parsed.type });
        this.options.onError?.(error, message);
        if (isInfrastructureOutage(error)) {
          if (this.stopping) return false;
          // The database is away, not the message at fault: wait for it instead of dead-lettering
          // everything that arrives during an outage. The offset is not committed meanwhile.
          await sleep(Math.min(30_000, (this.options.backoffMs ?? 100) * 2 ** Math.min(attempt, 8)));
          continue;
        }
        if (!isRetryable(error) || attempt >= maxAttempts) {
          await this.deadLetter(message, {
            reason: 'handler-failed',
            error: describe(error),
            attempts: attempt,
          });
          return true;
        }
        await sleep((this.options.backoffMs ?? 100) * 2 ** (attempt - 1));
      } finally {
        endTimer();
      }
    }
  }

  /** False when the inbox already had the event: the transaction then changes nothing. */
  private handleOnce(
    parsed: { id: string; event: E },
    message: RawMessage,
    attempt: number,
  ): Promise<boolean> {
    return withTransaction(this.options.pool, async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [this.options.groupId, parsed.id, message.topic],
      );
      if (inserted.rowCount === 0) return false;
      await this.options.handle(parsed.event, { tx, message, attempt });
      return true;
    });
  }

  private async deadLetter(
    message: RawMessage,
    info: Pick<DeadLetterInfo, 'reason' | 'error' | 'attempts'>,
  ): Promise<void> {
    if (!this.producer) throw new Error('inbox consumer is not started');
    await this.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: deadLetterHeaders(message.headers, {
            ...info,
            sourceTopic: message.topic,
            sourcePartition: message.partition,
            sourceOffset: message.offset,
            failedAt: this.clock.now(),
          }),
        },
      ],
    });
    this.metrics.deadLettered.inc({ consumer: this.options.groupId, reason: info.reason });
  }
}

/** Connection-level failures (PostgreSQL down or restarting), which say nothing about the message. */
export function isInfrastructureOutage(e: Error): boolean {
  const code = (e as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') ||
      code === '57P01' ||
      code === '57P03' ||
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET')
  ) {
    return true;
  }
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/.test(e.message);
}

function isRetryable(e: Error): boolean {
  if (e instanceof PlatformError) return e.code === 'CONCURRENCY';
  return true;
}

function describe(e: Error): string {
  return e instanceof PlatformError
    ? `${e.code}${e.rule ? ` (${e.rule})` : ''}: ${e.message}`
    : `${e.name}: ${e.message}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

function toRaw(topic: string, partition: number, m: KafkaMessage): RawMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value ? m.value.toString('utf8') : '',
    headers: headersToStrings(m.headers),
  };
}
