import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5): the same name in the same namespace always gives the same
 * id. After-sales names what it asks other services for this way, so that publishing a request
 * twice, or rebuilding the outbox from the event stream, names the same refund order or warehouse
 * task, and an outcome can be matched back to its request without keeping the id.
 */
export function nameBasedId(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
