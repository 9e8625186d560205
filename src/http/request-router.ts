import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext, ContextThunk } from '@apollo/server';
import type { Logger } from '../logging/logger.ts';
import type { HttpRequestObserver } from '../observability/http-request-observer.ts';
import { writeJson } from '../lib/http/json-response.ts';
import { RequestBodyTooLargeError } from '../lib/http/request-body.ts';
import type { Playground } from '../playground/playground.ts';
import { handleGraphQLRequest } from './graphql-http-handler.ts';
import type { LoadShedder } from './load-shedder.ts';
import { prefersHtml } from './prefers-html.ts';
import { isFromRouter } from './router-authentication.ts';
import { ROUTES } from './routes.ts';

export interface RequestRouterOptions<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  readonly context: ContextThunk<TContext>;
  /**
   * False while starting, draining or shedding load, or when the store does not answer, so a load
   * balancer or router stops sending traffic. A provider outage does not count (docs/decisions/provider-http.md).
   */
  readonly isReady: () => Promise<boolean>;
  /** GET /metrics: Prometheus text format. */
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  /** Each provider's webhook endpoint by path; a provider whose webhook secret is unset has none (404). */
  readonly webhooks: ReadonlyMap<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** When set, /graphql (and the IDE) serve only requests that carry it (the router's); health stays open. */
  readonly routerSecret: string | null;
  /** Whether /graphql takes one more request; health, metrics and webhooks are never shed. */
  readonly loadShedder: Pick<LoadShedder, 'admit'>;
  /**
   * Gives each admitted /graphql request and each webhook delivery its id (answered in a header) and,
   * with tracing on, its span; refusals above cost nothing more.
   */
  readonly observer: Pick<HttpRequestObserver, 'observe'>;
  /** The IDE, on GET /graphql from a browser and its files under ROUTES.playgroundAssets; null when off. */
  readonly playground: Playground | null;
}

/** What a shed request is told to wait before trying again (this replica or, better, another). */
const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * Routes of the subgraph's HTTP server: GraphQL (and the IDE, when on), the health probes, metrics,
 * the providers' webhooks.
 */
export function createRequestRouter<TContext extends BaseContext>(options: RequestRouterOptions<TContext>) {
  const { playground } = options;
  /** Answers 401 to a caller that is not the router, before the body is read or parsed: no work for it. */
  const refusedAsNotFromRouter = (request: IncomingMessage, response: ServerResponse): boolean => {
    if (options.routerSecret === null || isFromRouter(request, options.routerSecret)) return false;
    writeJson(response, 401, {
      errors: [{ message: 'This subgraph only serves the company router', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    return true;
  };
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      switch (url.pathname) {
        case ROUTES.graphql:
          if (refusedAsNotFromRouter(request, response)) return;
          if (playground !== null && prefersHtml(request)) {
            playground.writePage(response);
            return;
          }
          // Refused before the body is read: shedding must cost next to nothing.
          if (options.loadShedder.admit(response) !== null) {
            writeJson(
              response,
              503,
              {
                errors: [
                  {
                    message: 'The payments subgraph is overloaded; retry shortly',
                    extensions: { code: 'SERVICE_OVERLOADED', retryable: true },
                  },
                ],
              },
              { 'retry-after': String(SHED_RETRY_AFTER_SECONDS) },
            );
            return;
          }
          await options.observer.observe(ROUTES.graphql, 'caller', request, response, () =>
            handleGraphQLRequest(options.apollo, options.context, request, response, url, options.maxBodyBytes),
          );
          return;
        case ROUTES.liveness:
          writeJson(response, 200, { status: 'live' });
          return;
        case ROUTES.readiness:
          if (await options.isReady()) writeJson(response, 200, { status: 'ready' });
          else writeJson(response, 503, { status: 'not ready' });
          return;
        case ROUTES.metrics: {
          const text = await options.metrics.render();
          response.writeHead(200, { 'content-type': options.metrics.contentType });
          response.end(text);
          return;
        }
        default: {
          if (playground !== null && url.pathname.startsWith(ROUTES.playgroundAssets)) {
            if (refusedAsNotFromRouter(request, response)) return;
            playground.writeAsset(request, response, url.pathname.slice(ROUTES.playgroundAssets.length));
            return;
          }
          const webhook = options.webhooks.get(url.pathname);
          if (webhook === undefined) writeJson(response, 404, { error: 'not found' });
          else
            await options.observer.observe(url.pathname, 'none', request, response, () => webhook(request, response));
        }
      }
    } catch (error) {
      if (error instanceof RequestBodyTooLargeError) {
        writeJson(response, 413, {
          errors: [
            { message: `The request body exceeds ${options.maxBodyBytes} bytes`, extensions: { code: 'BAD_REQUEST' } },
          ],
        });
        return;
      }
      options.logger.error({ err: error, path: url.pathname }, 'request failed outside GraphQL execution');
      if (!response.headersSent)
        writeJson(response, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else response.destroy();
    }
  };
}
