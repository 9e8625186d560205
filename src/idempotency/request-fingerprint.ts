import { hash } from 'node:crypto';
import type { ProviderCreateRequest } from '../payments/create-payment-intent-command.ts';
import { canonicalJson } from '../lib/canonical-json.ts';

/**
 * SHA-256 of the validated request in canonical JSON: two requests with the same fingerprint
 * would send the provider the same thing. The clientMutationId is the key, not part of it.
 * One-shot `hash()` rather than a `Hash` object per create: each such object is a native handle
 * that every young-generation collection has to visit, which lengthened the collections' pauses
 * under a load of replays (BENCHMARKS.md, eighth round; https://nodejs.org/api/crypto.html#cryptohashalgorithm-data-options).
 */
export function requestFingerprint(request: ProviderCreateRequest): string {
  return hash('sha256', canonicalJson(request), 'hex');
}
