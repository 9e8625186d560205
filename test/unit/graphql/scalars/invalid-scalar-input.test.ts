import { GraphQLError, GraphQLScalarType, Kind, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InvalidScalarInput, refusedInputAsValue } from '../../../../src/graphql/scalars/invalid-scalar-input.ts';

const Even = new GraphQLScalarType<number, number>({
  name: 'Even',
  serialize: (value) => value as number,
  parseValue: (value) => {
    if (typeof value !== 'number' || value % 2 !== 0) throw new GraphQLError('Even: must be an even number');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT || Number(ast.value) % 2 !== 0) throw new GraphQLError('Even: must be an even number');
    return Number(ast.value);
  },
});

describe('refusedInputAsValue', () => {
  it('keeps what the scalar accepts, and its name and serialization', () => {
    const lenient = refusedInputAsValue(Even);
    expect(lenient.name).toBe('Even');
    expect(lenient.parseValue(4)).toBe(4);
    expect(lenient.parseLiteral(parseValue('8'), {})).toBe(8);
    expect(lenient.serialize(6)).toBe(6);
  });

  it("turns a refusal into a value carrying the scalar's message without its name", () => {
    const lenient = refusedInputAsValue(Even);
    expect(lenient.parseValue(3)).toEqual(new InvalidScalarInput('must be an even number'));
    expect(lenient.parseLiteral(parseValue('5'), {})).toEqual(new InvalidScalarInput('must be an even number'));
  });

  it('words the refusal as told, and catches the TypeError of a URL parser too', () => {
    const Url = new GraphQLScalarType({ name: 'Url', parseValue: (value) => new URL(String(value)) });
    expect(refusedInputAsValue(Url, 'must be an absolute URL').parseValue('nope')).toEqual(
      new InvalidScalarInput('must be an absolute URL'),
    );
  });

  it('lets anything else a scalar throws through: a bug is not a client error', () => {
    const Broken = new GraphQLScalarType({
      name: 'Broken',
      parseValue: () => {
        throw new RangeError('bug');
      },
    });
    expect(() => refusedInputAsValue(Broken).parseValue(1)).toThrow(RangeError);
  });
});
