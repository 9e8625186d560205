import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ziinaOperationId } from '../../../../src/providers/ziina/ziina-operation-id.ts';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The namespace is fixed forever (changing it would change the operation_id of every in-flight
// retry), so the test pins it as a literal instead of importing it from the source.
const PINNED_NAMESPACE = '5b0f2a8e-6f43-4d5e-9a57-1f6c1c0b9d3e';

/** UUIDv5 straight from RFC 9562 section 5.5 with node:crypto, independent of the uuid package. */
function rfcUuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('ziinaOperationId', () => {
  it.each([
    ['3F2A9C1E-7D6B-4A8E-9C0D-1E2F3A4B5C6D', '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d'],
    ['3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d', '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d'],
    ['3F2a9C1e-7D6b-4A8e-9C0d-1E2f3A4b5C6d', '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d'],
    ['A8098C1A-F86E-11DA-BD1A-00112444BE1E', 'a8098c1a-f86e-11da-bd1a-00112444be1e'],
  ])('keeps the UUID %s, lower-cased', (clientMutationId, expected) => {
    expect(ziinaOperationId(clientMutationId)).toBe(expected);
  });

  it('pins the UUIDv5 of a known clientMutationId', () => {
    // Computed once (2025) with the RFC 9562 algorithm above, SHA-1 over the namespace
    // 5b0f2a8e-6f43-4d5e-9a57-1f6c1c0b9d3e bytes followed by the UTF-8 bytes of "order-123",
    // and cross-checked with `uuid`'s v5. A different value means every in-flight Ziina
    // payment retried after a deploy gets a new operation_id.
    expect(ziinaOperationId('order-123')).toBe('8ca7fc7c-9338-5600-a03d-67d7941cd7d7');
    expect(ziinaOperationId('checkout-42')).toBe('db1427b7-392c-5f97-bbd6-ee709370fea4');
  });

  it.each([
    'order-123',
    'checkout-42',
    'a',
    ' ',
    'x'.repeat(255),
    'not-a-uuid-3F2A9C1E-7D6B-4A8E-9C0D-1E2F3A4B5C6D',
    '{3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d}',
  ])('derives a RFC 9562 UUIDv5 from %j under the pinned namespace', (clientMutationId) => {
    const operationId = ziinaOperationId(clientMutationId);
    expect(operationId).toMatch(UUID_V5);
    expect(operationId).toBe(rfcUuidV5(clientMutationId, PINNED_NAMESPACE));
  });

  it('is deterministic', () => {
    expect(ziinaOperationId('retry-me')).toBe(ziinaOperationId('retry-me'));
  });

  it('gives different inputs different ids, including inputs differing only in letter case', () => {
    const inputs = ['order-1', 'order-2', 'Order-1', 'ORDER-1', 'order-1 ', 'order-10'];
    const ids = inputs.map(ziinaOperationId);
    expect(new Set(ids).size).toBe(inputs.length);
  });

  it('does not treat a UUID with surrounding text as a UUID', () => {
    const uuid = '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d';
    expect(ziinaOperationId(` ${uuid}`)).not.toBe(uuid);
    expect(ziinaOperationId(` ${uuid}`)).toMatch(UUID_V5);
  });
});
