import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { OperationCostMemo } from './operation-cost-memo.ts';
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
 * The cost limit. It needs the variables (`first: $first`), which validation (cached per document)
 * does not see: so it runs once the operation is resolved, still before any resolver, from a memo
 * of the costs already computed (operation-cost-memo.ts).
 */
export function costLimitPlugin<Context extends BaseContext>(maxCost: number): ApolloServerPlugin<Context> {
  const memo = new OperationCostMemo();
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, schema }) => {
          const cost = memo.costOf(schema, document, request.variables ?? {}, request.operationName);
          if (cost !== null && cost > maxCost) {
            const counted = Number.isFinite(cost) ? String(cost) : 'more than can be counted';
            throw new PublicGraphQLError(
              `This operation would cost ${counted}, more than the limit of ${maxCost}: ask for fewer items (first) or fewer fields in one request`,
              'OPERATION_COST_EXCEEDED',
              { ...(Number.isFinite(cost) && { cost }), maxCost, http: { status: 400 } },
            );
          }
          return Promise.resolve();
        },
      }),
  };
}
