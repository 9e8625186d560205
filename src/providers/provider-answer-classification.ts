import type { PaymentProvider } from '../payments/payment-intent.ts';
import type { PaymentIntentUserError } from '../payments/payment-intent-user-error.ts';
import { ProviderIntegrationError } from './provider-errors.ts';

/** What a provider's error body says, once read by that provider's transformer. */
export interface ProviderErrorDetails {
  readonly code: string | null;
  readonly message: string | null;
  /** Path into the create input when the provider named the field at fault. */
  readonly field: readonly string[] | null;
}

const DISPLAY_NAME: Record<PaymentProvider, string> = { ZOPAY: 'Zopay', ZIINA: 'Ziina' };
const MAX_PROVIDER_MESSAGE_LENGTH = 300;

/**
 * Maps a provider's non-2xx answer to a create's user error. Rules shared by every provider:
 * 409 is an idempotency conflict, 400/422 a validation failure, 429 rate limiting, 5xx an
 * outage whose outcome is unknown (retryable with the same clientMutationId). 401/403 and any
 * other status mean our integration is wrong: thrown, masked for the client, logged loudly.
 * The message is ours; only the provider's own short message text is quoted, never its body.
 */
export function classifyFailedCreate(
  provider: PaymentProvider,
  status: number,
  details: ProviderErrorDetails,
  inUseCodes: ReadonlySet<string> = new Set(),
): PaymentIntentUserError {
  const name = DISPLAY_NAME[provider];
  const quoted = details.message ? `: ${truncate(details.message)}` : '';
  const base = { provider, providerStatus: status, providerCode: details.code, field: null };
  if (status === 409 && details.code !== null && inUseCodes.has(details.code)) {
    return { ...base, code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true, message: `${name} is still processing a request with this clientMutationId; retry shortly with the same id${quoted}` };
  }
  if (status === 409) {
    return { ...base, code: 'IDEMPOTENCY_CONFLICT', retryable: false, message: `${name} already received this clientMutationId with a different request${quoted}` };
  }
  if (status === 400 || status === 422) {
    return { ...base, field: details.field, code: 'PROVIDER_VALIDATION_FAILED', retryable: false, message: `${name} rejected the payment intent${quoted}` };
  }
  if (status === 429) {
    return { ...base, code: 'RATE_LIMITED', retryable: true, message: `${name} is rate limiting requests; retry later with the same clientMutationId` };
  }
  if (status >= 500) {
    return { ...base, code: 'PROVIDER_UNAVAILABLE', retryable: true, message: providerUnavailableMessage(provider, `answered HTTP ${status}`) };
  }
  throw unexpectedAnswer(provider, status, details);
}

export function providerUnavailableMessage(provider: PaymentProvider, what: string): string {
  return `${DISPLAY_NAME[provider]} ${what}; the outcome is unknown. Retry with the same clientMutationId.`;
}

/** For a request that provably never left: nothing can have happened at the provider. */
export function providerNotReachedMessage(provider: PaymentProvider, what: string): string {
  return `${DISPLAY_NAME[provider]} ${what}; nothing was sent. Retry with the same clientMutationId.`;
}

/** 401/403 (our credentials) or a status the provider never documents: our fault, not the client's. */
export function unexpectedAnswer(provider: PaymentProvider, status: number, details: ProviderErrorDetails): ProviderIntegrationError {
  const what = status === 401 || status === 403 ? 'rejected our credentials' : 'answered with an unexpected status';
  return new ProviderIntegrationError(provider, `${what} (HTTP ${status})`, { providerStatus: status, providerCode: details.code });
}

function truncate(text: string): string {
  return text.length <= MAX_PROVIDER_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_PROVIDER_MESSAGE_LENGTH)}…`;
}
