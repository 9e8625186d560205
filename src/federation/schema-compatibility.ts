import { buildSchema, type GraphQLSchema } from 'graphql';
import { CriticalityLevel, diff } from '@graphql-inspector/core';

export interface SchemaChange {
  readonly breaking: boolean;
  readonly message: string;
}

/**
 * Changes from the committed snapshot to the current public schema, classified by
 * GraphQL Inspector: a breaking change is one that can break an existing frontend query.
 */
export async function schemaChanges(snapshotSdl: string, current: GraphQLSchema): Promise<SchemaChange[]> {
  const changes = await diff(buildSchema(snapshotSdl), current);
  return changes.map((change) => ({
    breaking: change.criticality.level === CriticalityLevel.Breaking,
    message: change.message,
  }));
}
