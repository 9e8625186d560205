import { PROVIDER_INPUT_FIELD } from '../payments/create-payment-intent-command.ts';
import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { ProviderId } from '../payments/payment-intent.ts';
import type { PaymentIntentUserError } from '../payments/payment-intent-user-error.ts';

/**
 * The one error model of provider calls (after stripe-node's Error.ts): the error types, and the
 * rules shared by every provider that turn a provider's failed answer, or the absence of one, into
 * an outcome. Adapters read their provider's error body into ProviderErrorDetails and leave the
 * rest to this module; client-facing wording of provider failures lives here only.
 * docs/decisions/error-model.md explains the model.
 */

/** Who a provider is, as errors and messages name it. */
export interface ProviderIdentity {
  readonly id: ProviderId;
  /** e.g. "Zopay", for messages to clients and operators. */
  readonly displayName: string;
}

/**
 * Why a provider gave no usable answer:
 * - `timeout`, `connection`: no answer came back (see `requestSent`);
 * - `circuit_open`: the call was held back by the provider's circuit breaker, nothing was sent;
 * - `saturated`: the provider's bulkhead was full (or its queue outlasted the deadline), nothing was sent;
 * - `server_error` (5xx) and `rate_limited` (429): it answered, but only to say it cannot serve now.
 */
export type UnavailableReason =
  'timeout' | 'connection' | 'circuit_open' | 'saturated' | 'server_error' | 'rate_limited';

/**
 * The provider could not serve the call. Deliberate: clients see PROVIDER_UNAVAILABLE (or
 * RATE_LIMITED) and may retry. Never carries the provider's URL or body.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  readonly provider: ProviderIdentity;
  readonly reason: UnavailableReason;
  /**
   * False only when nothing left this process (the connection never opened, or the circuit kept
   * the call back): the provider cannot have acted on it, so even a create without an idempotency
   * key is safe to send again.
   */
  readonly requestSent: boolean;
  /** The provider's HTTP status when it answered (5xx, 429). */
  readonly providerStatus: number | null;

  constructor(
    provider: ProviderIdentity,
    reason: UnavailableReason,
    requestSent: boolean,
    providerStatus: number | null = null,
    options?: ErrorOptions,
  ) {
    super(`${provider.displayName} ${describeReason(reason, providerStatus)}`, options);
    this.provider = provider;
    this.reason = reason;
    this.requestSent = requestSent;
    this.providerStatus = providerStatus;
  }

  /** True when the provider may have acted on the request although no answer said so. */
  get mayHaveActed(): boolean {
    // An answered 5xx is taken to mean nothing was done: providers document nothing either way, and
    // treating it as "maybe" would make a Ziina create unrecoverable after every 503.
    return this.requestSent && (this.reason === 'timeout' || this.reason === 'connection');
  }
}

/**
 * Our side of the integration is wrong: rejected credentials (401/403), an answer that breaks what
 * we know or assume of the provider's contract, a status it never documents. Clients get a masked
 * INTERNAL_SERVER_ERROR; the log gets `detail`, which holds no secret (statuses and error codes only).
 */
export class ProviderIntegrationError extends Error {
  override readonly name = 'ProviderIntegrationError';
  readonly provider: ProviderIdentity;
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(
    provider: ProviderIdentity,
    message: string,
    detail: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(`${provider.displayName}: ${message}`, options);
    this.provider = provider;
    this.detail = detail;
  }

  /** The same failure with what its thrower could not know (e.g. the HTTP status of the answer it read). */
  withDetail(more: Readonly<Record<string, unknown>>): ProviderIntegrationError {
    const error = new ProviderIntegrationError(this.provider, '', { ...more, ...this.detail }, { cause: this.cause });
    error.message = this.message;
    error.stack = this.stack;
    return error;
  }
}

/** What a provider's error body says, once read by that provider's transformer. */
export interface ProviderErrorDetails {
  readonly code: string | null;
  readonly message: string | null;
  /** Path into the provider's input (e.g. ["amount"]) when the provider named the field at fault. */
  readonly field: readonly string[] | null;
}

/** A provider's answer that is not a success. */
export interface FailedAnswer {
  readonly status: number;
  readonly details: ProviderErrorDetails;
}

// A provider's error code is passed on only when it looks like one: an identifier, not free text.
const ERROR_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The outcome of a create the provider did not accept, by the rules every provider shares: 409 is an
 * idempotency conflict (or, with one of `keyInUseCodes`, a key still in use), 400/422 a validation
 * failure, 429 rate limiting, 5xx and no answer at all an outage (retryable with the same
 * clientMutationId). Anything else (401/403, an undocumented status) throws ProviderIntegrationError.
 * Messages are this service's words and the provider's error code: a provider's own text may quote
 * anything (a key, an internal URL), so it goes to the log only (ProviderEndpoint).
 */
export function failedCreateOutcome(
  provider: ProviderIdentity,
  failure: FailedAnswer | ProviderUnavailableError,
  keyInUseCodes: ReadonlySet<string> = new Set(),
): CreateOutcome {
  if (failure instanceof ProviderUnavailableError) {
    return { kind: 'rejected', userErrors: [unavailableUserError(failure)], mayHaveCreated: failure.mayHaveActed };
  }
  const { status, details } = failure;
  const name = provider.displayName;
  const providerCode = details.code !== null && ERROR_CODE.test(details.code) ? details.code : null;
  const withCode = providerCode === null ? '' : ` (${providerCode})`;
  const base = { provider: provider.id, providerStatus: status, providerCode, field: null };
  let userError: PaymentIntentUserError;
  if (status === 409 && details.code !== null && keyInUseCodes.has(details.code)) {
    userError = {
      ...base,
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
      message:
        `${name} is still processing a request with this clientMutationId${withCode}; ` +
        'retry shortly with the same id',
    };
  } else if (status === 409) {
    userError = {
      ...base,
      code: 'IDEMPOTENCY_CONFLICT',
      retryable: false,
      message: `${name} already received this clientMutationId with a different request${withCode}`,
    };
  } else if (status === 400 || status === 422) {
    const field = details.field === null ? null : [...PROVIDER_INPUT_FIELD, ...details.field];
    userError = {
      ...base,
      field,
      code: 'PROVIDER_VALIDATION_FAILED',
      retryable: false,
      message: `${name} rejected the payment intent${withCode}${field === null ? '' : ` because of its ${field.slice(PROVIDER_INPUT_FIELD.length).join('.')}`}`,
    };
  } else if (status === 429 || status >= 500) {
    userError = unavailableUserError(unavailableAnswer(provider, status));
  } else {
    throw unexpectedAnswer(provider, failure);
  }
  return { kind: 'rejected', userErrors: [userError] };
}

/**
 * What a read the provider did not serve throws: ProviderUnavailableError for 429 and 5xx (the
 * stored copy is served, or the client retries), ProviderIntegrationError for anything else.
 * A "not found" is the adapter's to recognise first: providers say it differently.
 */
export function failedReadError(
  provider: ProviderIdentity,
  answer: FailedAnswer,
): ProviderUnavailableError | ProviderIntegrationError {
  if (answer.status === 429 || answer.status >= 500) return unavailableAnswer(provider, answer.status);
  return unexpectedAnswer(provider, answer);
}

/** The user error of a create the provider could not serve: RATE_LIMITED for a 429, else PROVIDER_UNAVAILABLE. */
export function unavailableUserError(error: ProviderUnavailableError): PaymentIntentUserError {
  const rateLimited = error.reason === 'rate_limited';
  return {
    code: rateLimited ? 'RATE_LIMITED' : 'PROVIDER_UNAVAILABLE',
    message: rateLimited
      ? `${error.provider.displayName} is rate limiting requests; retry later with the same clientMutationId`
      : `${error.message}; ${error.requestSent ? 'the outcome is unknown' : 'nothing was sent'}. ` +
        'Retry with the same clientMutationId.',
    field: null,
    provider: error.provider.id,
    providerStatus: error.providerStatus,
    providerCode: null,
    retryable: true,
  };
}

/** The message of a read the provider could not serve, as clients see it. */
export function unavailableReadMessage(error: ProviderUnavailableError): string {
  const why = describeReason(error.reason, error.providerStatus);
  return `${error.provider.displayName} is unavailable (${why}); retry later`;
}

function unavailableAnswer(provider: ProviderIdentity, status: number): ProviderUnavailableError {
  return new ProviderUnavailableError(provider, status === 429 ? 'rate_limited' : 'server_error', true, status);
}

function unexpectedAnswer(provider: ProviderIdentity, { status, details }: FailedAnswer): ProviderIntegrationError {
  const what = status === 401 || status === 403 ? 'rejected our credentials' : 'answered with an unexpected status';
  return new ProviderIntegrationError(provider, `${what} (HTTP ${status})`, {
    providerStatus: status,
    providerCode: details.code,
  });
}

function describeReason(reason: UnavailableReason, status: number | null): string {
  switch (reason) {
    case 'timeout':
      return 'did not answer in time';
    case 'connection':
      return 'could not be reached';
    case 'circuit_open':
      return 'is failing repeatedly; calls are paused for a few seconds';
    case 'saturated':
      return 'is handling too many calls at once';
    case 'server_error':
      return `answered HTTP ${status}`;
    case 'rate_limited':
      return 'is rate limiting requests';
  }
}
