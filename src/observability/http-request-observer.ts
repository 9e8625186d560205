import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { requestIdOf, runInRequest } from './request-scope.ts';

export interface HttpRequestObserverOptions {
  /** Lower-cased header name: read from the request, answered in the response. */
  readonly requestIdHeader: string;
  /** Null when tracing is off: then no span and no OpenTelemetry call at all. */
  readonly tracer: Tracer | null;
}

/** Whose trace context a route takes: the router's (authenticated by its secret), or nobody's. */
export type TraceContextSource = 'caller' | 'none';

/** The request id a response answers with, and every log line of the request carries. */
export const REQUEST_ID_ATTRIBUTE = 'payments.request_id';

/**
 * Wraps the handling of one request: it gets an id (the caller's when safe, see request-scope.ts),
 * answered in a response header so a client or the router can quote it, and, when tracing is on, a
 * SERVER span that the work below it (store statements, provider calls) is parented to. A route
 * that trusts its caller continues the caller's W3C trace (`traceparent`,
 * https://www.w3.org/TR/trace-context/); a public route (a provider's webhook) starts its own
 * trace, so that nobody outside can join or steer this service's traces.
 */
export class HttpRequestObserver {
  readonly #header: string;
  readonly #tracer: Tracer | null;

  constructor(options: HttpRequestObserverOptions) {
    this.#header = options.requestIdHeader;
    this.#tracer = options.tracer;
  }

  async observe(
    route: string,
    traceContext: TraceContextSource,
    request: IncomingMessage,
    response: ServerResponse,
    handle: () => Promise<void>,
  ): Promise<void> {
    const requestId = requestIdOf(request.headers[this.#header]);
    response.setHeader(this.#header, requestId);
    if (this.#tracer === null) return runInRequest({ requestId, span: null, creates: [] }, handle);

    const parent = traceContext === 'caller' ? propagation.extract(ROOT_CONTEXT, request.headers) : ROOT_CONTEXT;
    const method = request.method ?? 'GET';
    // HTTP server span conventions: https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server
    const span = this.#tracer.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_HTTP_ROUTE]: route,
          [ATTR_URL_PATH]: route,
          [REQUEST_ID_ATTRIBUTE]: requestId,
        },
      },
      parent,
    );
    try {
      await runInRequest({ requestId, span, creates: [] }, () => context.with(trace.setSpan(parent, span), handle));
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      if (response.statusCode >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(response.statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } catch (error) {
      // The route's caller answers it (413, 500); the span says the handling failed, not why in words.
      span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }
}
