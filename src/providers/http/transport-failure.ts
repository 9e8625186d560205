import { ProviderUnavailableError, type ProviderIdentity } from '../provider-errors.ts';

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

/**
 * What undici threw (or the deadline's abort reason) when no answer came back: a timeout or a
 * connection failure, and whether the request may have reached the provider.
 */
export function transportFailure(provider: ProviderIdentity, error: unknown): ProviderUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  const isTimeout = name === 'TimeoutError' || (typeof code === 'string' && TIMEOUT_CODES.has(code));
  const requestSent = !(typeof code === 'string' && CONNECT_FAILURE_CODES.has(code));
  return new ProviderUnavailableError(provider, isTimeout ? 'timeout' : 'connection', requestSent, null, {
    cause: error,
  });
}
