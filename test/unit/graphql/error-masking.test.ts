import { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter, MASKED_MESSAGE } from '../../../src/graphql/error-masking.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { MemoryLog } from '../../support/memory-log.ts';

// graphql-js's own refusal of an argument is shown to the client (test/integration/malformed-input.test.ts);
// a GraphQLError that a resolver throws, worded and located as it may be, stays masked and alerts.

const REFUSAL = 'Argument "id" of non-null type "ID!" must not be null.';

/** How a resolver may throw a GraphQLError of its own, each with graphql-js's wording of a refusal. */
const THROWN_BY_A_RESOLVER: Record<string, (info: GraphQLResolveInfo) => GraphQLError> = {
  plain: () => new GraphQLError(REFUSAL),
  'located at its field': (info) => new GraphQLError(REFUSAL, { nodes: info.fieldNodes }),
  'already located with a path (rethrown from another execution)': (info) =>
    new GraphQLError(REFUSAL, { nodes: info.fieldNodes[0]?.arguments?.[0]?.value ?? null, path: ['elsewhere'] }),
};

async function answerOf(thrown: string) {
  const log = new MemoryLog();
  const server = new ApolloServer({
    typeDefs: 'type Query { fails(id: ID): Boolean }',
    resolvers: {
      Query: {
        fails: (_source: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
          throw THROWN_BY_A_RESOLVER[thrown]!(info);
        },
      },
    },
    formatError: createErrorFormatter(createLogger({ level: 'info', secrets: [], destination: log })),
  });
  await server.start();
  try {
    const response = await server.executeOperation({ query: '{ fails(id: "x") }' });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { errors: response.body.singleResult.errors, log };
  } finally {
    await server.stop();
  }
}

describe('createErrorFormatter', () => {
  it.each(Object.keys(THROWN_BY_A_RESOLVER))(
    'masks a GraphQLError that a resolver throws (%s) and logs it at error level',
    async (thrown) => {
      const { errors, log } = await answerOf(thrown);
      expect(errors).toEqual([
        expect.objectContaining({ message: MASKED_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
      expect(log.entries()).toEqual([
        expect.objectContaining({ level: 50, msg: 'unexpected error while executing an operation' }),
      ]);
    },
  );
});
