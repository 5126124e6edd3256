import { parseKafkaMessage, sampleEnvelope, toKafkaMessage, type EventType, type ParseFailure } from '../src';

export type Mutable = Record<string, unknown>;

/** The sample message of `type`, with its data and headers changed by the test. */
export function sampleMessage(
  type: EventType,
  change: {
    data?: (data: Mutable) => void;
    headers?: (headers: Record<string, string>) => void;
    key?: string | null;
  } = {},
): { key: string | null; value: string; headers: Record<string, string> } {
  const message = toKafkaMessage(sampleEnvelope(type));
  const data = JSON.parse(message.value) as Mutable;
  change.data?.(data);
  change.headers?.(message.headers);
  return {
    key: change.key === undefined ? message.key : change.key,
    value: JSON.stringify(data),
    headers: message.headers,
  };
}

export function failureOf(message: Parameters<typeof parseKafkaMessage>[0]): ParseFailure {
  const result = parseKafkaMessage(message);
  if (result.ok) throw new Error(`expected ${result.event.type} to be rejected`);
  return result.error;
}

/** Shortcut to reach into nested sample data without casts at every step. */
export const at = (value: unknown, ...path: (string | number)[]): Mutable =>
  path.reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], value) as Mutable;
