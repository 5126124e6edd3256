import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

interface OffsetLine extends CommittedOffset {
  group: string;
  topic: string;
  partition: number;
}

const FILE = 'consumer-offsets.jsonl';
/** Rewrite the file once it holds this many times more lines than live entries. */
const COMPACT_RATIO = 4;
const COMPACT_MIN_LINES = 10_000;

/**
 * Committed offsets per group. With a data directory every commit is appended to a JSON-lines
 * file (last line wins), which is compacted on start-up and whenever it grows too stale.
 */
export class OffsetStore {
  private readonly offsets = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd = -1;
  private lines = 0;
  private live = 0;

  constructor(private readonly dataDir?: string) {
    if (!dataDir) return;
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, FILE);
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.apply(JSON.parse(line) as OffsetLine);
        } catch {
          // A line cut short by a crash mid-write carries no commit that was acknowledged.
        }
      }
    }
    this.compact();
  }

  private apply(l: OffsetLine): void {
    let topics = this.offsets.get(l.group);
    if (!topics) this.offsets.set(l.group, (topics = new Map()));
    let partitions = topics.get(l.topic);
    if (!partitions) topics.set(l.topic, (partitions = new Map()));
    if (!partitions.has(l.partition)) this.live++;
    partitions.set(l.partition, { offset: l.offset, leaderEpoch: l.leaderEpoch, metadata: l.metadata });
  }

  private *entries(): Generator<OffsetLine> {
    for (const [group, topics] of this.offsets) {
      for (const [topic, partitions] of topics) {
        for (const [partition, c] of partitions) yield { group, topic, partition, ...c };
      }
    }
  }

  private compact(): void {
    if (!this.dataDir) return;
    const file = path.join(this.dataDir, FILE);
    const tmp = `${file}.tmp`;
    const text = [...this.entries()].map((e) => JSON.stringify(e) + '\n').join('');
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = fs.openSync(file, 'a');
    this.lines = this.live;
  }

  commit(group: string, commits: { topic: string; partition: number; value: CommittedOffset }[]): void {
    for (const c of commits) this.apply({ group, topic: c.topic, partition: c.partition, ...c.value });
    if (this.fd < 0) return;
    const text = commits
      .map((c) => JSON.stringify({ group, topic: c.topic, partition: c.partition, ...c.value }) + '\n')
      .join('');
    fs.writeSync(this.fd, text);
    this.lines += commits.length;
    if (this.lines > COMPACT_MIN_LINES && this.lines > this.live * COMPACT_RATIO) this.compact();
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(group)?.get(topic)?.get(partition);
  }

  /** All committed offsets of a group, topic by topic. */
  ofGroup(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.offsets.get(group) ?? new Map();
  }

  groups(): string[] {
    return [...this.offsets.keys()];
  }

  deleteTopic(topic: string): void {
    let changed = false;
    for (const topics of this.offsets.values()) {
      const partitions = topics.get(topic);
      if (partitions) {
        this.live -= partitions.size;
        topics.delete(topic);
        changed = true;
      }
    }
    if (changed) this.compact();
  }

  close(): void {
    if (this.fd < 0) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
