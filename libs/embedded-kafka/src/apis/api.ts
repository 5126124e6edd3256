import { GroupCoordinator } from '../groups/group-coordinator';
import { OffsetStore } from '../groups/offset-store';
import { Logger } from '../logger';
import { ProducerIdAllocator } from '../producers/producer-id-allocator';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { TopicRegistry } from '../topics/topic-registry';

/** What request handlers can reach of the running broker. */
export interface BrokerState {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  maxMessageBytes: number;
  fetchMaxBytes: number;
  topics: TopicRegistry;
  groups: GroupCoordinator;
  offsets: OffsetStore;
  producerIds: ProducerIdAllocator;
  log: Logger;
  /** Registers a callback run when the broker stops; returns its unregistration. */
  onStop(callback: () => void): () => void;
}

export interface RequestContext {
  apiVersion: number;
  clientId: string;
  clientHost: string;
}

/** A response body, or null when the protocol sends none (Produce with acks=0). */
export type ApiResponse = Writer | null;

export interface ApiDefinition {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  handle(broker: BrokerState, ctx: RequestContext, body: Reader): ApiResponse | Promise<ApiResponse>;
}
