import { createHash } from 'node:crypto';
import type { ProviderCreateRequest } from '../payments/create-payment-intent-command.ts';
import { canonicalJson } from '../lib/canonical-json.ts';

/**
 * SHA-256 of the validated request in canonical JSON: two requests with the same fingerprint
 * would send the provider the same thing. The clientMutationId is the key, not part of it.
 */
export function requestFingerprint(request: ProviderCreateRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
