import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerState } from './apis/api';
import { buildApiTable } from './apis/api-table';
import { GroupCoordinator } from './groups/group-coordinator';
import { OffsetStore } from './groups/offset-store';
import { consoleLogger, Logger, silentLogger } from './logger';
import { ProducerIdAllocator } from './producers/producer-id-allocator';
import { Server } from './server';
import { TopicRegistry } from './topics/topic-registry';

export interface EmbeddedKafkaOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 9092. */
  port?: number;
  host?: string;
  /** Where logs and committed offsets live; without it everything is kept in memory. */
  dataDir?: string;
  /** Partitions of auto-created topics (Kafka's num.partitions). Default 1. */
  defaultPartitions?: number;
  /** true logs to the console; a Logger receives the lines. Default silent. */
  log?: boolean | Logger;
  /** Segment file size before a new one is rolled. Default 64 MiB. */
  segmentBytes?: number;
  /** Largest record batch accepted (Kafka's message.max.bytes). Default 1048588. */
  maxMessageBytes?: number;
  /** Cap on one fetch response whatever the client asks (Kafka's fetch.max.bytes). Default 55 MiB. */
  fetchMaxBytes?: number;
  /** Largest request frame accepted (socket.request.max.bytes). Default 100 MiB. */
  maxRequestBytes?: number;
  groupMinSessionTimeoutMs?: number;
  groupMaxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms; default 0 so tests do not wait for it. */
  groupInitialRebalanceDelayMs?: number;
}

const NODE_ID = 0;

function clusterIdFor(dataDir: string | undefined): string {
  if (!dataDir) return randomUUID();
  const file = path.join(dataDir, 'cluster-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = randomUUID();
  fs.writeFileSync(file, id);
  return id;
}

/** A single-node broker speaking the Kafka wire protocol. */
export class EmbeddedKafka {
  private constructor(
    private readonly server: Server,
    private readonly state: BrokerState,
    private readonly stopCallbacks: Set<() => void>,
  ) {}

  static async start(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
    const host = options.host ?? '127.0.0.1';
    const log = options.log === true ? consoleLogger : options.log ? options.log : silentLogger;
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const defaultPartitions = options.defaultPartitions ?? 1;
    const topics = new TopicRegistry({
      dataDir,
      defaultPartitions,
      segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    });
    const stopCallbacks = new Set<() => void>();
    const state: BrokerState = {
      nodeId: NODE_ID,
      host,
      port: 0,
      clusterId: clusterIdFor(dataDir),
      maxMessageBytes: options.maxMessageBytes ?? 1048588,
      fetchMaxBytes: options.fetchMaxBytes ?? 55 * 1024 * 1024,
      topics,
      groups: new GroupCoordinator({
        minSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? 6000,
        maxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? 1_800_000,
        initialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 0,
      }),
      offsets: new OffsetStore(dataDir),
      producerIds: new ProducerIdAllocator(dataDir, topics.maxProducerId()),
      log,
      onStop(callback) {
        stopCallbacks.add(callback);
        return () => stopCallbacks.delete(callback);
      },
    };
    const server = new Server(
      buildApiTable(defaultPartitions),
      state,
      options.maxRequestBytes ?? 100 * 1024 * 1024,
    );
    state.port = await server.listen(host, options.port ?? 9092);
    log.info(
      `listening on ${host}:${state.port} (${dataDir ? `data in ${dataDir}` : 'in-memory'}, ` +
        `${topics.list().length} topics)`,
    );
    return new EmbeddedKafka(server, state, stopCallbacks);
  }

  get port(): number {
    return this.state.port;
  }

  /** Bootstrap list for clients, e.g. `new Kafka({ brokers: broker.brokers })`. */
  get brokers(): string[] {
    return [`${this.state.host}:${this.state.port}`];
  }

  async stop(): Promise<void> {
    for (const callback of [...this.stopCallbacks]) callback();
    this.stopCallbacks.clear();
    await this.server.close();
    this.state.groups.close();
    this.state.topics.close();
    this.state.offsets.close();
    this.state.log.info('stopped');
  }
}
