import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { PartitionLog } from '../log/partition-log';

export interface TopicRegistryOptions {
  dataDir?: string;
  defaultPartitions: number;
  segmentBytes: number;
}

export interface Topic {
  name: string;
  partitions: PartitionLog[];
}

const MAX_TOPIC_NAME = 249;
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
/** Partition directories are named `<topic>-<partition>`, as in Kafka's own log dirs. */
const PARTITION_DIR = /^(.+)-(\d+)$/;

export function isValidTopicName(name: string): boolean {
  return name.length <= MAX_TOPIC_NAME && name !== '.' && name !== '..' && LEGAL_TOPIC_NAME.test(name);
}

export type TopicLookup = { topic: Topic } | { error: ErrorCodeValue };

/** All topics of the broker; with a data directory, the set of topics is the set of partition dirs. */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly options: TopicRegistryOptions) {
    if (options.dataDir) this.load(this.topicsDir(options.dataDir));
  }

  private topicsDir(dataDir: string): string {
    return path.join(dataDir, 'topics');
  }

  private load(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const counts = new Map<string, number>();
    for (const entry of fs.readdirSync(dir)) {
      const m = PARTITION_DIR.exec(entry);
      if (!m || !isValidTopicName(m[1])) continue;
      counts.set(m[1], Math.max(counts.get(m[1]) ?? 0, Number(m[2]) + 1));
    }
    for (const [name, count] of counts) this.topics.set(name, this.openTopic(name, count));
  }

  private openTopic(name: string, partitions: number): Topic {
    const logs = Array.from({ length: partitions }, (_, p) =>
      PartitionLog.open({
        dir: this.options.dataDir
          ? path.join(this.topicsDir(this.options.dataDir), `${name}-${p}`)
          : undefined,
        segmentBytes: this.options.segmentBytes,
      }),
    );
    return { name, partitions: logs };
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, index: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[index];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  create(name: string, partitions: number): ErrorCodeValue {
    if (!isValidTopicName(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
    if (this.topics.has(name)) return ErrorCode.TOPIC_ALREADY_EXISTS;
    if (partitions <= 0) return ErrorCode.INVALID_PARTITIONS;
    this.topics.set(name, this.openTopic(name, partitions));
    return ErrorCode.NONE;
  }

  /** The topic, created with the default partition count when it does not exist yet. */
  getOrCreate(name: string): TopicLookup {
    const existing = this.topics.get(name);
    if (existing) return { topic: existing };
    const error = this.create(name, this.options.defaultPartitions);
    if (error !== ErrorCode.NONE) return { error };
    return { topic: this.topics.get(name) as Topic };
  }

  delete(name: string): ErrorCodeValue {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    this.topics.delete(name);
    for (const log of topic.partitions) log.destroy();
    return ErrorCode.NONE;
  }

  /** Highest producer id found in any log, so new ids never collide after a restart. */
  maxProducerId(): number {
    let max = -1;
    for (const t of this.topics.values())
      for (const p of t.partitions) max = Math.max(max, p.producers.maxProducerId);
    return max;
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
    this.topics.clear();
  }
}
