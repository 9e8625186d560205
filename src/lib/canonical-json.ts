import { configure } from 'safe-stable-stringify';

/**
 * JSON with object keys sorted at every depth: the same data always gives the same bytes.
 * Used for request fingerprints and for bodies a provider compares byte for byte (an
 * idempotency replay), so that a retry whose metadata lists keys in another order still matches.
 */
const stringify = configure({ deterministic: true, bigint: false, circularValue: TypeError });

export function canonicalJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
