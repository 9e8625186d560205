import { GraphQLError, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JsonObjectScalar } from '../../../../src/graphql/scalars/json-object-scalar.ts';

function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
}

describe('JsonObjectScalar', () => {
  it('reads a JSON object as it is', () => {
    const metadata = { order: '42', items: [{ sku: 'tea', qty: 2 }], gift: false, note: null };
    expect(JsonObjectScalar.parseValue(metadata)).toEqual(metadata);
    expect(JsonObjectScalar.parseLiteral(parseValue('{ order: "42", qty: 2 }'), {})).toEqual({ order: '42', qty: 2 });
  });

  it.each([
    ['a string', 'x'],
    ['an array', [1]],
    ['null', null],
    ['a number', 5],
  ])('refuses %s in its own words', (_case, value) => {
    expect(() => JsonObjectScalar.parseValue(value)).toThrow(new GraphQLError('JSONObject: must be a JSON object'));
  });

  it('accepts 16 levels of nesting and refuses 17, without recursion even far deeper', () => {
    expect(JsonObjectScalar.parseValue({ a: nestedArrays(15) })).toEqual({ a: nestedArrays(15) });
    expect(() => JsonObjectScalar.parseValue({ a: nestedArrays(16) })).toThrow(
      'JSONObject: must nest at most 16 levels',
    );
    expect(() => JsonObjectScalar.parseValue({ a: nestedArrays(500_000) })).toThrow(
      'JSONObject: must nest at most 16 levels',
    );
  });

  it('refuses more than 64 KiB of JSON, counted in bytes', () => {
    expect(JsonObjectScalar.parseValue({ text: 'é'.repeat(32_000) })).toBeTruthy();
    expect(() => JsonObjectScalar.parseValue({ text: 'é'.repeat(33_000) })).toThrow(
      'JSONObject: must be at most 65536 bytes of JSON',
    );
  });
});
