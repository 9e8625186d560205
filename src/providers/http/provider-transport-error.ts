/**
 * No usable answer came back: connection refused or reset, a timeout, the call's deadline, or
 * the provider's open circuit. `requestSent` is false only when nothing left this process (the
 * connection never opened, or the circuit kept the call back), i.e. the provider cannot have
 * acted on the request, which makes even a non-idempotent create safe to send again.
 */
export class ProviderTransportError extends Error {
  override readonly name = 'ProviderTransportError';
  readonly reason: 'timeout' | 'connection' | 'circuit_open';
  readonly requestSent: boolean;

  constructor(reason: 'timeout' | 'connection' | 'circuit_open', requestSent: boolean, options?: ErrorOptions) {
    super(MESSAGES[reason], options);
    this.reason = reason;
    this.requestSent = requestSent;
  }
}

const MESSAGES = {
  timeout: 'provider call timed out',
  connection: 'provider connection failed',
  circuit_open: 'provider circuit is open after repeated failures',
} as const;

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
