import fc from 'fast-check';
import { GraphQLError, Kind, parseValue as parseLiteralText } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DecimalScalar } from '../../../../src/graphql/scalars/decimal-scalar.ts';
import { scalarResolvers } from '../../../../src/graphql/scalars/index.ts';
import { InvalidScalarInput } from '../../../../src/graphql/scalars/invalid-scalar-input.ts';
import { PLAIN_DECIMAL_FORM, parsePlainDecimal } from '../../../../src/money/decimal.ts';
import { canonicalPlainDecimal, decimalLikeText, plainDecimal } from '../../../support/decimal-arbitraries.ts';

// Properties of the Decimal scalar as the schema serves it: any variable value either becomes the
// exact text the client wrote or the one refusal the create answers as INVALID_INPUT; a literal
// keeps its source digits; what is parsed serializes back unchanged.

/** Whatever JSON variables can carry, with strings of any code point (lone surrogates, U+0000) and near misses. */
const variableValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }),
  decimalLikeText,
  plainDecimal,
  fc.double(),
);

const DECIMAL_PROBLEM = `must be a string in ${PLAIN_DECIMAL_FORM}`;

describe('Decimal scalar, properties', () => {
  it('reads any variable value as the exact text of a plain decimal, or refuses it with a GraphQLError, never another error', () => {
    fc.assert(
      fc.property(variableValue, (value) => {
        let parsed: unknown;
        try {
          parsed = DecimalScalar.parseValue(value);
        } catch (error) {
          expect(error).toBeInstanceOf(GraphQLError);
          expect((error as GraphQLError).message).toMatch(
            typeof value === 'string'
              ? `Decimal: must be written in ${PLAIN_DECIMAL_FORM}`
              : /^Decimal: variables must/,
          );
          return;
        }
        expect(typeof value).toBe('string');
        expect(parsed).toBe(parsePlainDecimal(value as string));
        expect(parsed).toBe(canonicalPlainDecimal(value as string));
      }),
    );
  });

  it('as the schema serves it, never throws: a refused value becomes the one INVALID_INPUT problem', () => {
    fc.assert(
      fc.property(variableValue, (value) => {
        const parsed = scalarResolvers.Decimal.parseValue(value);
        if (parsed instanceof InvalidScalarInput) expect(parsed.problem).toBe(DECIMAL_PROBLEM);
        else expect(parsed).toBe(canonicalPlainDecimal(value as string));
      }),
    );
  });

  it('serializes what it parsed back to the same text', () => {
    fc.assert(
      fc.property(plainDecimal, (text) => {
        expect(DecimalScalar.serialize(DecimalScalar.parseValue(text))).toBe(canonicalPlainDecimal(text));
      }),
    );
  });

  it('keeps the source digits of an Int, Float or String literal: no binary float in between', () => {
    fc.assert(
      fc.property(plainDecimal, fc.boolean(), (text, quoted) => {
        const literal = parseLiteralText(quoted ? JSON.stringify(text) : text);
        expect(literal.kind).toBe(quoted ? Kind.STRING : text.includes('.') ? Kind.FLOAT : Kind.INT);
        expect(DecimalScalar.parseLiteral(literal)).toBe(canonicalPlainDecimal(text));
      }),
    );
  });
});
