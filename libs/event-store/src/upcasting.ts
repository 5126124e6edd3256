import type { EventMetadata } from './types';

export interface Upcast {
  schemaVersion: number;
  data: unknown;
}

export type Upcaster = (data: unknown, metadata: EventMetadata) => Upcast;

/**
 * Upcasters turn data stored under an old schema version into the shape of a newer one when it is
 * read, so the log is never rewritten and the domain only knows the current shapes. Steps chain:
 * v1 -> v2 -> v3.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  register(type: string, fromSchemaVersion: number, upcaster: Upcaster): this {
    const key = UpcasterRegistry.key(type, fromSchemaVersion);
    if (this.upcasters.has(key)) {
      throw new Error(`an upcaster for ${type} schema version ${fromSchemaVersion} is already registered`);
    }
    this.upcasters.set(key, upcaster);
    return this;
  }

  upcast(type: string, schemaVersion: number, data: unknown, metadata: EventMetadata): Upcast {
    let current: Upcast = { schemaVersion, data };
    for (;;) {
      const upcaster = this.upcasters.get(UpcasterRegistry.key(type, current.schemaVersion));
      if (!upcaster) return current;
      const next = upcaster(current.data, metadata);
      // A step that does not move forward would loop for ever.
      if (next.schemaVersion <= current.schemaVersion) {
        throw new Error(
          `upcaster for ${type} v${current.schemaVersion} returned v${next.schemaVersion}; it must raise the version`,
        );
      }
      current = next;
    }
  }

  private static key(type: string, schemaVersion: number): string {
    return `${schemaVersion}:${type}`;
  }
}
