import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logging/logger.ts';
import { ProviderIntegrationError } from '../providers/provider-errors.ts';
import { isArgumentCoercionError } from './argument-coercion-error.ts';
import { PublicGraphQLError } from './public-error.ts';

// Apollo Server's own request errors say what is wrong with the client's operation: shown as is.
const CLIENT_ERROR_CODES: ReadonlySet<unknown> = new Set([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

export const MASKED_MESSAGE = 'Internal server error';

/**
 * Error masking after graphql-yoga's: a deliberate error goes out unchanged; anything else
 * becomes INTERNAL_SERVER_ERROR with a generic message (no provider body, URL, key or stack),
 * and its detail goes to the log, where the logger scrubs secrets.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof PublicGraphQLError || isClientRequestError(error, formatted)) return formatted;
    // Not a fault of ours but of the operation, seen only once it runs: the client's to fix, as
    // Apollo's own variable errors are.
    if (isArgumentCoercionError(original)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: ApolloServerErrorCode.BAD_USER_INPUT } };
    }
    logMasked(logger, original, formatted);
    return {
      message: MASKED_MESSAGE,
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
      ...(formatted.path && { path: formatted.path }),
      ...(formatted.locations && { locations: formatted.locations }),
    };
  };
}

/**
 * An error in the client's operation itself (parse, validation, variable coercion): raised
 * before execution, so it has no resolver path. An argument refused while executing is
 * recognised apart (argument-coercion-error.ts).
 */
function isClientRequestError(error: unknown, formatted: GraphQLFormattedError): boolean {
  return (
    error instanceof GraphQLError && error.path === undefined && CLIENT_ERROR_CODES.has(formatted.extensions?.code)
  );
}

function logMasked(logger: Logger, error: unknown, formatted: GraphQLFormattedError): void {
  if (error instanceof ProviderIntegrationError) {
    // Loud: this is our configuration or integration at fault, and every call will fail alike.
    logger.error(
      { provider: error.provider.id, ...error.detail, path: formatted.path },
      `provider integration failure: ${error.message}`,
    );
    return;
  }
  logger.error({ err: error, path: formatted.path }, 'unexpected error while executing an operation');
}
