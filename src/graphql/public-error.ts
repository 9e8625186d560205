import { GraphQLError } from 'graphql';

/**
 * A top-level error raised on purpose, whose message and extensions are safe for clients.
 * Everything that is not one of these (or one of Apollo's own request errors) is masked.
 */
export class PublicGraphQLError extends GraphQLError {
  constructor(message: string, code: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}
