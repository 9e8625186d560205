import type { IncomingHttpHeaders } from 'node:http';

/** A request as the provider routes see it: fully read, so faults and replays can act on it. */
export interface EmulatorRequest {
  readonly method: string;
  /** Path without the query string, not decoded. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * An answer not yet written: routes return it instead of writing it, so an `afterHandler` fault can
 * swallow it and the Zopay idempotency store can replay its exact bytes.
 */
export interface EmulatorResponse {
  readonly status: number;
  /** Serialised JSON. */
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface RouteContext {
  /**
   * Resolves when an injected delay (a fault with delayMs and nothing else) has elapsed. Routes call
   * it where their real work starts, e.g. after Zopay has claimed the Idempotency-Key, so a slow
   * request holds its key the way a slow provider would; otherwise the delay is served before answering.
   */
  injectedDelay(): Promise<void>;
}

export type EmulatorRoute = (request: EmulatorRequest, context: RouteContext) => Promise<EmulatorResponse>;

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse {
  return { status, body: JSON.stringify(body), ...(headers ? { headers } : {}) };
}

/** Decodes one path segment (an id); undefined when its percent-encoding is malformed. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
