import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isLeafType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../payments/list-payment-intents.ts';
import { isArgumentCoercionError } from './argument-coercion-error.ts';

/**
 * An object field costs 1 and a leaf 0; a list's items count as many times as the list may hold:
 * `first` of a connection, or the representations of `_entities`. So 40 aliases of
 * `paymentIntents(first: 100)` cost what they would make the subgraph do.
 */
const listSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const own = isLeafType(getNamedType(field.type)) ? 0 : 1;
  return own + listSize(args) * childComplexity;
};

function listSize(args: Record<string, unknown>): number {
  // A `first` beyond the largest page is refused by the field itself, with a clearer message.
  if (typeof args.first === 'number') return Math.min(Math.max(1, args.first), MAX_PAGE_SIZE);
  if (Array.isArray(args.representations)) return Math.max(1, args.representations.length);
  return 1;
}

/**
 * The operation's cost with these variables; null when the variables do not fit it, its arguments
 * included (execution refuses them next, with its own precise message, before any resolver runs).
 * A document larger than the estimator will walk (graphql-query-complexity stops at 10,000 nodes)
 * costs Infinity.
 */
export function costOfOperation(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
): number | null {
  const operation = getOperationAST(query, operationName);
  if (operation == null) return null;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return null;
  try {
    return getComplexity({
      schema,
      query,
      variables,
      ...(operationName !== undefined && { operationName }),
      estimators: [listSizeEstimator],
    });
  } catch (error) {
    if (isArgumentCoercionError(error)) return null;
    if (error instanceof GraphQLError) return Number.POSITIVE_INFINITY;
    throw error;
  }
}
