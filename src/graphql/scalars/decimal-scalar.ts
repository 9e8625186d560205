import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DecimalFormatError, parseDecimal, parsePlainDecimal, type Decimal } from '../../money/decimal.ts';

function decimalOrError(text: string, parse: (text: string) => Decimal = parsePlainDecimal): Decimal {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new GraphQLError(`Decimal: ${error.message}`);
    throw error;
  }
}

/**
 * Exact decimal as a string on the wire. A literal in a query may be written as a string, an
 * Int or a Float: graphql-js keeps a literal's source text, so `10.50` stays "10.50" and never
 * passes through a binary float. In JSON variables only strings are accepted: a JSON number has
 * already been read as a binary float by the time it gets here. Input is plain decimal notation
 * only (parsePlainDecimal): "1e5" or "+10" is refused, never rewritten.
 */
export const DecimalScalar = new GraphQLScalarType<Decimal, string>({
  name: 'Decimal',
  description: 'Exact decimal number, serialized as a string such as "10.50". Never a binary float.',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('Decimal: only exact decimal strings can be serialized');
    // What this service serializes comes from itself or a provider: canonical text either way.
    return decimalOrError(value, parseDecimal);
  },
  parseValue(value) {
    if (typeof value !== 'string') {
      throw new GraphQLError(
        'Decimal: variables must give decimals as strings in plain decimal notation, e.g. "10.50" (a JSON number is a binary float)',
      );
    }
    return decimalOrError(value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) return decimalOrError(ast.value);
    throw new GraphQLError('Decimal: expected a string, Int or Float literal', { nodes: ast });
  },
});
