import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/**
 * The schema frontend teams see of this subgraph through the router: the API schema of the
 * subgraph composed alone (federation machinery removed, exactly as the router derives it),
 * sorted so that a diff shows only real changes.
 */
export function publicApiSchema(subgraphSdl: string): GraphQLSchema {
  const result = composeServices([
    { name: 'payments', url: 'http://payments.invalid/graphql', typeDefs: parse(subgraphSdl) },
  ]);
  if (result.errors)
    throw new Error(`the payments schema does not compose: ${result.errors.map((error) => error.message).join('; ')}`);
  return lexicographicSortSchema(result.schema.toAPISchema().toGraphQLJSSchema());
}

export function printPublicApiSchema(subgraphSdl: string): string {
  return `${printSchema(publicApiSchema(subgraphSdl))}\n`;
}
