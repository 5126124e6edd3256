import { performance } from 'node:perf_hooks';
import { Client, type Pool } from 'pg';
import { withTransaction } from '@aftersales/event-store';
import type { Kafka, Producer } from 'kafkajs';
import { createProducer } from '../kafka/kafka-client';
import { Registry } from 'prom-client';
import { messagingMetrics, type MessagingMetrics } from '../metrics';
import { OUTBOX_CHANNEL } from './outbox';

export interface OutboxRelayOptions {
  pool: Pool;
  kafka: Kafka;
  /** Connection string for the LISTEN connection (same database as the pool). */
  listenUrl: string;
  /** Search path of the outbox table; the pool's connections use the same. */
  schema: string;
  batchSize?: number;
  /** Fallback poll when no notification arrives (a missed NOTIFY, another writer). */
  pollIntervalMs?: number;
  /** First retry delay after a failed publish; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  registry?: Registry;
  /**
   * After a wake-up, wait this long before taking the batch, so that commits arriving together
   * go out in one Kafka request instead of one each.
   */
  coalesceMs?: number;
  /** How often a scan starts from the first id instead of just below the last published one. */
  fullScanIntervalMs?: number;
  /** How often the backlog gauges are sampled. */
  metricsIntervalMs?: number;
  /** Published rows are kept this long for inspection, then deleted. */
  retentionHours?: number;
  onError?: (error: Error) => void;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string;
}

/**
 * Publishes committed outbox rows to Kafka in id order and marks them published.
 *
 * Per-key order: a batch is taken under a transaction-scoped advisory lock, so one relay of the
 * service publishes at a time and batches go out strictly one after another; other replicas wait
 * as hot standbys and take over the moment the active one's transaction ends. Rows are read
 * `FOR UPDATE SKIP LOCKED` so that a relay never waits on rows another one holds. Kafka down:
 * the transaction rolls back, the rows stay, and the same rows go out first when it is back.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly metrics: MessagingMetrics;
  private producer?: Producer;
  private producerConnected = false;
  private listener?: Client;
  private metricsTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private running = false;
  private wake?: () => void;
  /** A notification came while a batch was being published: run again without sleeping. */
  private notified = false;
  private loop?: Promise<void>;
  private readonly lockId: number;
  private lastPublishedId = 0;
  private lastFullScan = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.metrics = messagingMetrics(options.registry ?? new Registry());
    this.lockId = hashLockId(`outbox:${options.schema}`);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.producer = createProducer(this.options.kafka, { idempotent: true, maxInFlightRequests: 1 });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerConnected = false;
    });
    await this.listen();
    // Backlog figures are sampled, not computed per batch: the count is a scan of the backlog.
    this.metricsTimer = setInterval(() => {
      this.updateBacklogMetrics().catch((e: Error) => this.options.onError?.(e));
    }, this.options.metricsIntervalMs ?? 5000);
    this.metricsTimer.unref();
    this.pruneTimer = setInterval(() => {
      this.prunePublished().catch((e: Error) => this.options.onError?.(e));
    }, 60_000);
    this.pruneTimer.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.metricsTimer);
    clearInterval(this.pruneTimer);
    this.poke();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    if (this.producer) await this.producer.disconnect().catch(() => undefined);
    this.producerConnected = false;
  }

  /**
   * Publishes what is pending now, once; returns how many messages went out, or null when another
   * relay of the service holds the lock (it is publishing them).
   */
  async publishPending(): Promise<number | null> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      if (n === null) return total > 0 ? total : null;
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  private async listen(): Promise<void> {
    try {
      const client = new Client({
        connectionString: this.options.listenUrl,
        options: `-c search_path=${this.options.schema}`,
      });
      client.on('notification', () => this.poke());
      client.on('error', () => {
        // The poll keeps delivery going; the next start re-listens.
        this.listener = undefined;
      });
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (e) {
      this.options.onError?.(e as Error);
    }
  }

  private poke(): void {
    this.notified = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = this.options.backoffMs ?? 200;
    while (this.running) {
      let failed = false;
      let standby = false;
      const woken = this.notified;
      this.notified = false;
      try {
        const coalesce = this.options.coalesceMs ?? 0;
        if (woken && coalesce > 0) await new Promise((r) => setTimeout(r, coalesce));
        standby = (await this.publishPending()) === null;
        backoff = this.options.backoffMs ?? 200;
      } catch (e) {
        failed = true;
        this.metrics.outboxPublishFailures.inc();
        this.options.onError?.(e as Error);
      }
      if (!this.running) break;
      // Another replica's relay is publishing: it hears the same notifications, so answering them
      // too would only retry the lock on every commit. Poll instead, to take over if it stops.
      if (this.notified && !failed && !standby) continue;
      const wait = failed ? backoff : this.pollIntervalMs;
      if (failed) backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          if (standby && this.running) return;
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async ensureProducer(): Promise<Producer> {
    if (!this.producer) throw new Error('outbox relay is not started');
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
    }
    return this.producer;
  }

  /** Null when another relay holds the lock. */
  private async publishBatch(): Promise<number | null> {
    const published = await withTransaction(this.options.pool, async (client) => {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
        this.lockId,
      ]);
      if (!lock.rows[0]?.ok) return null;
      // Published rows leave dead index entries behind until vacuum, and a scan from the start of
      // the table wades through all of them. So the scan starts a margin below the last id this
      // relay published: a transaction that took its id earlier but committed later is still
      // found unless more than the margin of ids went out meanwhile, and a full scan every
      // `fullScanIntervalMs` finds even those (a full scan is the slow one, so it is rare). Rows
      // of one key always commit in id order (the event store serialises a stream), so a late row
      // never overtakes a row of its own key.
      const full = performance.now() - this.lastFullScan >= (this.options.fullScanIntervalMs ?? 10_000);
      if (full) this.lastFullScan = performance.now();
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, headers, payload FROM outbox
         WHERE published_at IS NULL AND id >= $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize, full ? 0 : Math.max(0, this.lastPublishedId - LATE_COMMIT_MARGIN)],
      );
      if (rows.length === 0) return [];
      const producer = await this.ensureProducer();
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows) });
      await client.query('UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return rows;
    });
    if (published === null) return null;
    if (published.length > 0) {
      this.lastPublishedId = Math.max(this.lastPublishedId, Number(published[published.length - 1].id));
      this.metrics.outboxPublished.inc(published.length);
    }
    return published.length;
  }

  /** Deletes published rows older than the retention, a bounded batch at a time. */
  async prunePublished(): Promise<number> {
    const { rowCount } = await this.options.pool.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at < clock_timestamp() - make_interval(hours => $1) LIMIT 10000)`,
      [this.options.retentionHours ?? 72],
    );
    return rowCount ?? 0;
  }

  async updateBacklogMetrics(): Promise<void> {
    const { rows } = await this.options.pool.query<{ n: string; age: number | null }>(
      `SELECT count(*) AS n, EXTRACT(EPOCH FROM clock_timestamp() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL AND id >= $1`,
      [Math.max(0, this.lastPublishedId - LATE_COMMIT_MARGIN)],
    );
    this.metrics.outboxBacklog.set(Number(rows[0]?.n ?? 0));
    this.metrics.outboxOldestAge.set(rows[0]?.age ?? 0);
  }
}

/** How far below the last published id a scan starts, for transactions that commit out of id order. */
const LATE_COMMIT_MARGIN = 500;

/** Rows grouped per topic, each topic's messages in outbox id order (which is per-key order). */
function groupByTopic(rows: OutboxRow[]) {
  const byTopic = new Map<string, { key: string | null; value: string; headers: Record<string, string> }[]>();
  for (const r of rows) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.message_key, value: r.payload, headers: r.headers });
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** A stable 31-bit id for pg advisory locks from a name. */
export function hashLockId(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h & 0x7fffffff;
}
