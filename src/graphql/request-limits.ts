import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isLeafType,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../payments/list-payment-intents.ts';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { PublicGraphQLError } from './public-error.ts';

/**
 * How much work one request may ask for (docs/decisions/request-limits.md). Every limit answers a
 * clear error before anything executes; each is configurable (GRAPHQL_MAX_*).
 */
export interface RequestLimits {
  /** Nesting of fields, introspection included; fragment spreads do not add a level. */
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  /** Tokens of the document, counted while parsing: a huge document costs nothing to refuse. */
  readonly maxTokens: number;
  /** Objects the operation may resolve, list sizes (`first`, `_entities` representations) multiplied in. */
  readonly maxCost: number;
}

/** Depth, alias and directive limits (maintained rules of GraphQL Armor), as validation rules. */
export function requestLimitRules(limits: RequestLimits): ValidationRule[] {
  // Report instead of throwing: graphql-js collects the error like any validation failure.
  const reportTo = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''));
        if (context === null) throw refusal;
        context.reportError(refusal);
      },
    ],
  };
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: false, flattenFragments: true, ...reportTo }),
    maxAliasesRule({ n: limits.maxAliases, ...reportTo }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportTo }),
  ];
}

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
 * What the operation costs by the rule above. Null when the variables do not fit the operation:
 * execution refuses them next, with its own precise message, before any resolver runs.
 */
export function costOf(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
): number | null {
  try {
    return getComplexity({
      schema,
      query,
      variables,
      ...(operationName !== undefined && { operationName }),
      estimators: [listSizeEstimator],
    });
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
}

/**
 * The cost limit. It needs the variables (`first: $first`), which validation (cached per document)
 * does not see: so it runs once the operation is resolved, still before any resolver.
 */
export function costLimitPlugin<Context extends BaseContext>(maxCost: number): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, schema }) => {
          const cost = costOf(schema, document, request.variables ?? {}, request.operationName);
          if (cost !== null && cost > maxCost) {
            throw new PublicGraphQLError(
              `This operation would cost ${cost}, more than the limit of ${maxCost}: ask for fewer items (first) or fewer fields in one request`,
              'OPERATION_COST_EXCEEDED',
              { cost, maxCost, http: { status: 400 } },
            );
          }
          return Promise.resolve();
        },
      }),
  };
}
