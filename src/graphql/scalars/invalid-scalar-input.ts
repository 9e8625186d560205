import { GraphQLError, GraphQLScalarType } from 'graphql';

/**
 * A scalar input value the scalar refused. Instead of failing the whole request while variables are
 * coerced (an HTTP 400 that routers turn into an opaque error), the value travels to the create's
 * validation, which answers it as an INVALID_INPUT user error on its field, like every other
 * problem of the input (docs/decisions/error-model.md).
 */
export class InvalidScalarInput {
  readonly problem: string;

  constructor(problem: string) {
    this.problem = problem;
  }
}

/**
 * The scalar, reading a value it refuses as an InvalidScalarInput that says why in this service's
 * words (`problem`), or in the scalar's own message with its "Name: " prefix removed.
 */
export function refusedInputAsValue<Internal, External>(
  scalar: GraphQLScalarType<Internal, External>,
  problem?: string,
): GraphQLScalarType<Internal | InvalidScalarInput, External> {
  const refused = (error: unknown): InvalidScalarInput => {
    // graphql-scalars' URL lets the WHATWG URL parser's TypeError through.
    if (!(error instanceof GraphQLError) && !(error instanceof TypeError)) throw error;
    return new InvalidScalarInput(problem ?? error.message.replace(new RegExp(`^${scalar.name}: `), ''));
  };
  const config = scalar.toConfig();
  return new GraphQLScalarType<Internal | InvalidScalarInput, External>({
    ...config,
    parseValue: (value) => {
      try {
        return scalar.parseValue(value);
      } catch (error) {
        return refused(error);
      }
    },
    parseLiteral: (ast, variables) => {
      try {
        return scalar.parseLiteral(ast, variables);
      } catch (error) {
        return refused(error);
      }
    },
  });
}
