import {
  GraphQLError,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
  parseValue,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { DecimalScalar } from '../../../../src/graphql/scalars/decimal-scalar.ts';
import { PLAIN_DECIMAL_FORM } from '../../../../src/money/decimal.ts';

// A tiny schema around the real scalar: `echo` returns its argument (serialized back through the
// scalar), `received` tells what the resolver was given, `broken` returns a JS number.
const received: unknown[] = [];
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      echo: {
        type: new GraphQLNonNull(DecimalScalar),
        args: { value: { type: new GraphQLNonNull(DecimalScalar) } },
        resolve: (_source, args: { value: unknown }) => {
          received.push(args.value);
          return args.value;
        },
      },
      typeOf: {
        type: GraphQLString,
        args: { value: { type: new GraphQLNonNull(DecimalScalar) } },
        resolve: (_source, args: { value: unknown }) => typeof args.value,
      },
      broken: { type: DecimalScalar, resolve: () => 10.5 },
      exponent: { type: DecimalScalar, resolve: () => '1e3' },
    },
  }),
});

async function run(source: string, variableValues?: Record<string, unknown>) {
  return graphql({ schema, source, ...(variableValues ? { variableValues } : {}) });
}

describe('Decimal scalar in a real GraphQL execution', () => {
  it.each([
    ['a Float literal', '10.50', '10.50'],
    ['a Float literal with many digits', '0.10000000000000000001', '0.10000000000000000001'],
    ['an Int literal', '10', '10'],
    ['a negative Int literal', '-3', '-3'],
    ['a String literal', '"10.50"', '10.50'],
  ])('%s %s reads as the string %j', async (_kind, literal, expected) => {
    const result = await run(`{ echo(value: ${literal}) typeOf(value: ${literal}) }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ echo: expected, typeOf: 'string' });
  });

  it('hands the resolver the exact string, never a number', async () => {
    received.length = 0;
    await run('{ echo(value: 0.1) }');
    expect(received).toEqual(['0.1']);
  });

  it('accepts a string variable exactly', async () => {
    const result = await run('query ($v: Decimal!) { echo(value: $v) }', { v: '10.50' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ echo: '10.50' });
  });

  it('rejects a JSON number variable with a message asking for a string', async () => {
    received.length = 0;
    const result = await run('query ($v: Decimal!) { echo(value: $v) }', { v: 10.5 });
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.message).toContain('variables must give decimals as strings');
    expect(result.errors?.[0]?.message).toContain('$v');
    expect(received).toEqual([]);
  });

  it.each(['abc', '1.', '', '1'.repeat(101)])(
    'rejects the string variable %j with a Decimal: message',
    async (text) => {
      const result = await run('query ($v: Decimal!) { echo(value: $v) }', { v: text });
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.message).toMatch(/Decimal: /);
    },
  );

  it('rejects a string literal that is not a decimal, saying what is accepted', async () => {
    const result = await run('{ echo(value: "ten") }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain(`Decimal: must be written in ${PLAIN_DECIMAL_FORM}`);
  });

  it.each([
    ['a Float literal in exponent notation', '1.5e3'],
    ['a String literal in exponent notation', '"1e5"'],
    ['what JavaScript writes for 1e21', '"1e+21"'],
    ['a leading zero', '"010.50"'],
    ['surrounding spaces', '" 10.50"'],
    ['a trailing dot', '"10."'],
  ])('refuses %s (%s): in a money field it is a client bug, not a number to rewrite', async (_case, literal) => {
    const result = await run(`{ echo(value: ${literal}) }`);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain('plain decimal notation');
  });

  it.each(['true', 'null', 'ENUM_VALUE', '[1]', '{a: 1}'])('rejects the literal %s', async (literal) => {
    const result = await run(`{ echo(value: ${literal}) }`);
    expect(result.data).toBeUndefined();
    expect(result.errors?.length).toBeGreaterThan(0);
  });

  it('refuses to serialize a JS number: a field error, not a silently rounded value', async () => {
    const result = await run('{ broken }');
    expect(result.data).toEqual({ broken: null });
    expect(result.errors?.[0]?.message).toBe('Decimal: only exact decimal strings can be serialized');
  });

  it('serializes exponent notation expanded', async () => {
    const result = await run('{ exponent }');
    expect(result.data).toEqual({ exponent: '1000' });
  });

  it('refuses a "+1" literal with its own message, never through a library error', async () => {
    const result = await run('{ echo(value: "+1") }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.message)).toEqual([`Decimal: must be written in ${PLAIN_DECIMAL_FORM}`]);
  });
});

describe('Decimal scalar functions', () => {
  it('parseLiteral keeps the source text of a Float AST node', () => {
    expect(DecimalScalar.parseLiteral(parseValue('10.50'))).toBe('10.50');
    expect(DecimalScalar.parseLiteral(parseValue('42'))).toBe('42');
    expect(DecimalScalar.parseLiteral(parseValue('"0.30"'))).toBe('0.30');
  });

  it('parseLiteral throws a GraphQLError for a Boolean literal', () => {
    expect(() => DecimalScalar.parseLiteral(parseValue('true'))).toThrow(GraphQLError);
    expect(() => DecimalScalar.parseLiteral(parseValue('true'))).toThrow(
      'Decimal: expected a string, Int or Float literal',
    );
  });

  it('parseValue accepts strings only', () => {
    expect(DecimalScalar.parseValue('10.50')).toBe('10.50');
    for (const value of [10.5, 10, null, undefined, true, {}, 10n]) {
      expect(() => DecimalScalar.parseValue(value)).toThrow(GraphQLError);
    }
  });

  it('parseValue turns a DecimalFormatError into a GraphQLError', () => {
    expect(() => DecimalScalar.parseValue('1e80')).toThrow(GraphQLError);
    expect(() => DecimalScalar.parseValue('1e80')).toThrow(/^Decimal: must be written in plain decimal notation/);
    // Plain notation too long for it is refused with the same message, which names the bound.
    expect(() => DecimalScalar.parseValue('1'.repeat(101))).toThrow(
      `Decimal: must be written in ${PLAIN_DECIMAL_FORM}`,
    );
    expect(PLAIN_DECIMAL_FORM).toContain('at most 100 characters');
  });

  it('serialize returns the canonical text of a string and throws for anything else', () => {
    expect(DecimalScalar.serialize('10.50')).toBe('10.50');
    expect(DecimalScalar.serialize('-0')).toBe('0');
    for (const value of [10.5, 0, null, undefined, {}, 10n]) {
      expect(() => DecimalScalar.serialize(value)).toThrow(GraphQLError);
    }
    expect(() => DecimalScalar.serialize('ten')).toThrow(GraphQLError);
  });
});
