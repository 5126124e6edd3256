import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Hands out producer ids for InitProducerId. With a data directory the next id is persisted,
 * so a restarted broker never reissues an id whose sequence state survives in the logs.
 */
export class ProducerIdAllocator {
  private next: number;

  constructor(
    private readonly dataDir: string | undefined,
    highestSeen: number,
  ) {
    let stored = 0;
    if (dataDir) {
      try {
        stored = Number(fs.readFileSync(this.file(dataDir), 'utf8')) || 0;
      } catch {
        stored = 0;
      }
    }
    this.next = Math.max(stored, highestSeen + 1, 1000);
  }

  private file(dir: string): string {
    return path.join(dir, 'next-producer-id');
  }

  allocate(): number {
    const id = this.next++;
    if (this.dataDir) fs.writeFileSync(this.file(this.dataDir), String(this.next));
    return id;
  }
}
