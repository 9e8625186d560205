import { readFileSync } from 'node:fs';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { assertInputObjectType, parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.ts';

const SCHEMA_FILE = new URL('../../schema/payments.graphql', import.meta.url);

export const typeDefs = parse(readFileSync(SCHEMA_FILE, 'utf8'));

/**
 * The executable subgraph schema.
 *
 * `PaymentIntentProviderInput` is declared @oneOf in the SDL (so `_service { sdl }`, composition
 * and clients see the rule), but graphql-js is told not to enforce it: it would reject a
 * violation while coercing variables, which Apollo Server answers with HTTP 400, and a router
 * turns a subgraph's 400 into an opaque error. The create use case enforces the rule instead and
 * answers a typed INVALID_INPUT user error with field ["provider"].
 */
export function buildSchema(): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  assertInputObjectType(schema.getType('PaymentIntentProviderInput')).isOneOf = false;
  return schema;
}
