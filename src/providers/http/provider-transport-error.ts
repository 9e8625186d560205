/**
 * No usable answer came back: connection refused or reset, a timeout, the call's deadline.
 * `requestSent` is false only when the connection never opened, i.e. the provider cannot have
 * acted on the request, which makes even a non-idempotent create safe to send again.
 */
export class ProviderTransportError extends Error {
  override readonly name = 'ProviderTransportError';
  readonly reason: 'timeout' | 'connection';
  readonly requestSent: boolean;

  constructor(reason: 'timeout' | 'connection', requestSent: boolean, options?: ErrorOptions) {
    super(reason === 'timeout' ? 'provider call timed out' : 'provider connection failed', options);
    this.reason = reason;
    this.requestSent = requestSent;
  }
}

// undici and Node error codes raised before a single byte of the request left this process.
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Maps whatever undici threw (or the deadline's abort reason) to a transport error. */
export function toTransportError(error: unknown): ProviderTransportError {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  const isTimeout = name === 'TimeoutError' || (typeof code === 'string' && TIMEOUT_CODES.has(code));
  const requestSent = !(typeof code === 'string' && CONNECT_FAILURE_CODES.has(code));
  return new ProviderTransportError(isTimeout ? 'timeout' : 'connection', requestSent, { cause: error });
}
