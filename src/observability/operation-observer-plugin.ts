import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { SpanStatusCode } from '@opentelemetry/api';
import { composedLinesLogger, type Logger } from '../logging/logger.ts';
import type { Metrics, OperationOutcome } from './metrics.ts';
import type { ObservedCreate, ObservedRequest } from './request-scope.ts';

/** The context the plugin needs: the request being served (see request-scope.ts). */
export interface ObservedContext {
  readonly request: ObservedRequest;
}

/** The code every masked error is answered with (error-masking.ts); nothing deliberate uses it. */
const MASKED_CODE = 'INTERNAL_SERVER_ERROR';

// GraphQL span conventions (https://opentelemetry.io/docs/specs/semconv/graphql/graphql-spans/),
// still "development": written out here rather than imported from the incubating entry point.
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
const ATTR_OUTCOME = 'payments.graphql.outcome';

/**
 * One log line, one count and one duration per GraphQL operation, and the request's span named
 * after it (Apollo Server plugin: https://www.apollographql.com/docs/apollo-server/integrations/plugins).
 * The outcome is the first that applies of:
 * - `masked`: an error was hidden from the client (its detail has a log line of its own);
 * - `error`: top-level errors, all of them deliberate (e.g. PROVIDER_UNAVAILABLE, a validation error);
 * - `user_error`: a create answered user errors;
 * - `ok`.
 * Work per request: a timestamp, and at the end one pass over the answer's top-level errors and the
 * creates the resolvers noted; nothing per resolver.
 */
export function operationObserverPlugin<Context extends ObservedContext>(
  logger: Logger,
  metrics: Metrics,
): ApolloServerPlugin<Context> {
  const lines = composedLinesLogger(logger);
  return {
    requestDidStart: ({ contextValue }) => {
      const startedAt = performance.now();
      const { span } = contextValue.request;
      return Promise.resolve({
        didResolveOperation: ({ operation, operationName }) => {
          if (span === null || operation === undefined) return Promise.resolve();
          span.updateName(operationName === null ? operation.operation : `${operation.operation} ${operationName}`);
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.operation);
          if (operationName !== null) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
          return Promise.resolve();
        },
        willSendResponse: (requestContext) => {
          observeAnswer(requestContext, (performance.now() - startedAt) / 1000, lines, metrics);
          return Promise.resolve();
        },
      });
    },
  };
}

function observeAnswer<Context extends ObservedContext>(
  { contextValue, operation, operationName, response }: GraphQLRequestContextWillSendResponse<Context>,
  seconds: number,
  logger: Logger,
  metrics: Metrics,
): void {
  const { creates, span } = contextValue.request;
  const errors =
    response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
  const errorCodes = distinct((errors ?? []).map(({ extensions }) => codeOf(extensions?.code)));
  const userErrorCodes = distinct(creates.flatMap((create) => create.userErrorCodes));
  const outcome = outcomeOf(errorCodes, userErrorCodes);
  const type = operation?.operation ?? null;
  const name = operationName ?? null;

  metrics.operation(name, type, outcome, seconds);
  for (const create of creates) {
    for (const code of distinct(create.userErrorCodes)) metrics.createUserError(create.provider, code);
  }
  span?.setAttribute(ATTR_OUTCOME, outcome);
  if (outcome === 'error' || outcome === 'masked') span?.setStatus({ code: SpanStatusCode.ERROR });

  const line = {
    operationName: name,
    operationType: type,
    durationMs: Math.round(seconds * 10_000) / 10,
    outcome,
    ...(errorCodes.length > 0 && { errorCodes }),
    ...(userErrorCodes.length > 0 && { userErrorCodes }),
    ...createFields(creates),
  };
  if (outcome === 'masked') logger.warn(line, 'graphql operation');
  else logger.info(line, 'graphql operation');
}

function outcomeOf(errorCodes: readonly string[], userErrorCodes: readonly string[]): OperationOutcome {
  if (errorCodes.includes(MASKED_CODE)) return 'masked';
  if (errorCodes.length > 0) return 'error';
  return userErrorCodes.length > 0 ? 'user_error' : 'ok';
}

/** One create (the usual mutation) in flat fields; several (aliases) as a list. */
function createFields(creates: readonly ObservedCreate[]): object {
  if (creates.length === 0) return {};
  const [only] = creates;
  if (creates.length === 1 && only !== undefined) return describeCreate(only);
  return { creates: creates.map(describeCreate) };
}

function describeCreate({ provider, clientMutationId, replayed, paymentIntentId }: ObservedCreate): object {
  return { provider, clientMutationId, replayed, ...(paymentIntentId !== null && { paymentIntentId }) };
}

function codeOf(code: unknown): string {
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
