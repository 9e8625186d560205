import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { OperationCostLimit } from './operation-cost-limit.ts';

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

/** The cost limit in Apollo Server: checked once the operation is resolved, still before any resolver. */
export function costLimitPlugin<Context extends BaseContext>(maxCost: number): ApolloServerPlugin<Context> {
  const limit = new OperationCostLimit(maxCost);
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, schema }) => {
          // Apollo answers an error thrown here with HTTP 500 unless it carries its own status.
          const refusal = limit.refusal(
            { schema, document, variables: request.variables ?? {}, operationName: request.operationName },
            { http: { status: 400 } },
          );
          if (refusal !== null) throw refusal;
          return Promise.resolve();
        },
      }),
  };
}
