import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../graphql/context.ts';
import type { Logger } from '../logging/logger.ts';
import { OperationCostLimit } from '../graphql/operation-cost-limit.ts';
import { refuseUpgrade } from '../lib/http/refuse-upgrade.ts';
import { PublicGraphQLError } from '../graphql/public-error.ts';
import { publicReadError } from '../graphql/resolvers/provider-unavailable.ts';
import { requestLimitRules, type RequestLimits } from '../graphql/request-limits.ts';
import { SlowConsumerError } from '../subscriptions/bounded-event-stream.ts';
import type { OverloadReason } from './load-shedder.ts';
import { serveGraphQLOverSockets } from './graphql-ws-sockets.ts';
import { isFromRouter } from './router-authentication.ts';

export interface GraphQLWebSocketServerOptions {
  readonly schema: GraphQLSchema;
  readonly context: () => Promise<GraphQLContext>;
  /** Where WebSocket upgrades are taken: the GraphQL path itself. */
  readonly path: string;
  /** When set, the upgrade request must carry it (x-router-secret), or no socket opens. */
  readonly routerSecret: string | null;
  readonly maxSubscriptionsPerConnection: number;
  /** Interval of the WebSocket pings (RFC 6455 §5.5.2); a socket that does not pong within it is cut. */
  readonly keepAliveMs: number;
  readonly requestLimits: RequestLimits;
  /**
   * HTTP_MAX_BODY_BYTES, the largest request body: a larger message is refused by ws with close 1009
   * (message too big, RFC 6455 §7.4.1) as soon as its frame header says so, before it is buffered.
   */
  readonly maxMessageBytes: number;
  /** Why a new connection would be refused now, or null (load-shedder.ts). */
  readonly overload: () => OverloadReason | null;
  readonly onShed?: (reason: OverloadReason) => void;
  /** The same masking as Apollo's answers (error-masking.ts). */
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  readonly logger: Logger;
}

/**
 * Distinct documents kept parsed. Routers send the same few subscription documents over and over:
 * parsing each once keeps one AST per document instead of one per subscription.
 */
const PARSED_DOCUMENTS = 1_000;

/**
 * GraphQL over WebSocket on the GraphQL path (the graphql-ws protocol, `graphql-transport-ws`:
 * https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md), the transport Apollo Router's
 * passthrough mode and Hive Gateway use towards subgraphs, for subscriptions only: queries and
 * mutations are refused (docs/decisions/subscriptions.md). The upgrade request is checked before a
 * socket exists: the router's secret (401), load (503, so the router tries another replica). Each
 * connection holds a bounded number of subscriptions; the same document limits and error masking as
 * over HTTP apply, and a message may be as large as a request body. Shutdown closes every socket with
 * 1001 (going away).
 */
export class GraphQLWebSocketServer {
  readonly #options: GraphQLWebSocketServerOptions;
  readonly #sockets: WebSocketServer;
  readonly #dispose: () => Promise<void>;

  constructor(options: GraphQLWebSocketServerOptions) {
    this.#options = options;
    this.#sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
    const validationRules = [...specifiedRules, ...requestLimitRules(options.requestLimits)];
    const format = (errors: readonly GraphQLError[]) => errors.map((error) => this.#format(error));
    const costLimit = new OperationCostLimit(options.requestLimits.maxCost);
    const parsed = new LRUCache<string, DocumentNode>({ max: PARSED_DOCUMENTS });
    const parseOnce = (source: string): DocumentNode => {
      let document = parsed.get(source);
      if (document === undefined) {
        document = parse(source, { maxLexicalTokens: options.requestLimits.maxTokens });
        parsed.set(source, document);
      }
      return document;
    };
    const server = serveGraphQLOverSockets(
      {
        schema: options.schema,
        // Parsing and validation happen here rather than in graphql-ws, which would close the whole
        // connection on a syntax error: a bad document is the client's error, answered like over HTTP.
        onSubscribe: async (context, _id, payload) => {
          // graphql-ws has already recorded this one among the connection's subscriptions.
          if (Object.keys(context.subscriptions).length > options.maxSubscriptionsPerConnection) {
            return [
              new PublicGraphQLError(
                `One connection may hold at most ${options.maxSubscriptionsPerConnection} subscriptions; complete one or open another connection`,
                'SUBSCRIPTION_LIMIT_REACHED',
                { limit: options.maxSubscriptionsPerConnection, scope: 'connection', retryable: false },
              ),
            ];
          }
          let document: DocumentNode;
          try {
            document = parseOnce(payload.query);
          } catch (error) {
            if (error instanceof GraphQLError) return [requestError(error, 'GRAPHQL_PARSE_FAILED')];
            throw error;
          }
          const invalid = validate(options.schema, document, validationRules);
          if (invalid.length > 0) return invalid.map((error) => requestError(error, 'GRAPHQL_VALIDATION_FAILED'));
          // graphql-ws would answer an operation it cannot pick with an error the masking hides.
          const operation = getOperationAST(document, payload.operationName);
          if (operation == null) return [operationResolutionError(payload.operationName)];
          if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
            return [subscriptionsOnlyError(operation.operation, options.path)];
          }
          // Variables are coerced here too: graphql-js reports a bad value as a bare error that the
          // masking would hide; over HTTP Apollo answers it as the client's, BAD_USER_INPUT.
          const variables = payload.variables ?? {};
          const coerced = getVariableValues(options.schema, operation.variableDefinitions ?? [], variables);
          if (coerced.errors !== undefined) return coerced.errors.map((error) => requestError(error, 'BAD_USER_INPUT'));
          const tooCostly = costLimit.refusal({
            schema: options.schema,
            document,
            variables,
            operationName: payload.operationName ?? undefined,
          });
          if (tooCostly !== null) return [tooCostly];
          return {
            schema: options.schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: await options.context(),
          };
        },
        onNext: (_context, _id, _payload, _args, result) =>
          result.errors === undefined ? undefined : { ...result, errors: format(result.errors) },
        onError: (_context, _id, _payload, errors) => format(errors),
      },
      this.#sockets,
      options.keepAliveMs,
      options.logger,
    );
    this.#dispose = async () => {
      await server.dispose();
    };
  }

  /** For the HTTP server's `upgrade` event. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== this.#options.path) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.#options.routerSecret !== null && !isFromRouter(request, this.#options.routerSecret)) {
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    const overload = this.#options.overload();
    if (overload !== null) {
      this.#options.onShed?.(overload);
      refuseUpgrade(socket, 503, 'Service Unavailable', { 'retry-after': '1' });
      return;
    }
    this.#sockets.handleUpgrade(request, socket, head, (webSocket) => {
      this.#sockets.emit('connection', webSocket, request);
    });
  }

  /**
   * Closes every socket with 1001, going away (RFC 6455 §7.4.1; graphql-ws's dispose): their
   * subscriptions end, and routers subscribe again elsewhere.
   */
  close(): Promise<void> {
    return this.#dispose();
  }

  #format(error: GraphQLError): GraphQLFormattedError {
    // A resolver's error (located, with a path) or the event stream's, which graphql-ws wraps in a
    // GraphQLError of its message alone: either way the thrown error is the original.
    const original = error.originalError ?? error;
    if (original instanceof SlowConsumerError) {
      return { message: original.message, extensions: { code: 'SUBSCRIBER_TOO_SLOW', retryable: true } };
    }
    // A subscription's first read failed at the provider: shown as a query's read failure is.
    const readError = publicReadError(original);
    if (readError !== null) return readError.toJSON();
    return this.#options.formatError(original instanceof GraphQLError ? original.toJSON() : error.toJSON(), error);
  }
}

/**
 * A query or mutation sent over the socket. Only Apollo Server over HTTP gives them what a request
 * needs beyond its document: the count of requests in flight that sheds load, the drain that lets a
 * create finish at shutdown, introspection switched off in production (docs/decisions/request-limits.md).
 */
function subscriptionsOnlyError(operationType: OperationTypeNode, path: string): PublicGraphQLError {
  return new PublicGraphQLError(
    `This WebSocket serves subscriptions only: send queries and mutations as HTTP POST requests to ${path}`,
    'OPERATION_TYPE_NOT_SUPPORTED',
    { operationType, retryable: false },
  );
}

/** No operation of the document is the one to run: graphql-js's words, Apollo's code over HTTP. */
function operationResolutionError(operationName: string | null | undefined): GraphQLError {
  const message =
    operationName == null
      ? 'Must provide operation name if query contains multiple operations.'
      : `Unknown operation named "${operationName}".`;
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

/** The client's document is at fault: its error, with the code Apollo gives it over HTTP, is shown as is. */
function requestError(
  error: GraphQLError,
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT',
): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    extensions: { code },
  });
}
