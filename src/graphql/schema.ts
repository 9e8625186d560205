import { readFileSync } from 'node:fs';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { assertInputObjectType, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import { createResolvers } from './resolvers/index.ts';

/** The subgraph's SDL (the public contract, plus additive fields). */
export const paymentsTypeDefs: DocumentNode = parse(
  readFileSync(new URL('../../schema/payments.graphql', import.meta.url), 'utf8'),
);

/**
 * The executable subgraph schema for these providers. Each provider's types are in the SDL; a
 * provider whose types live elsewhere (a test's) passes them as `extensions`.
 *
 * `PaymentIntentProviderInput` is declared @oneOf in the SDL (so `_service { sdl }`, composition and
 * clients see the rule), but graphql-js is told not to enforce it: it would reject a violation while
 * coercing variables, which Apollo Server answers with HTTP 400, and a router turns a subgraph's 400
 * into an opaque error. The GraphQL edge enforces the rule instead (create-payment-intent-input.ts).
 */
export function buildPaymentsSchema(
  providers: ProviderRegistry,
  extensions: readonly DocumentNode[] = [],
): GraphQLSchema {
  const resolvers = createResolvers(providers) as GraphQLResolverMap<unknown>;
  const schema = buildSubgraphSchema([
    { typeDefs: paymentsTypeDefs, resolvers },
    ...extensions.map((typeDefs) => ({ typeDefs })),
  ]);
  assertInputObjectType(schema.getType('PaymentIntentProviderInput')).isOneOf = false;
  return schema;
}
