import { describe, expect, it } from 'vitest';
import { parseJsonWithNumberSources } from '../../../src/lib/exact-json.ts';

describe('parseJsonWithNumberSources', () => {
  it('reads numbers as numbers and gives the written text of each, in nested objects and arrays too', () => {
    const body = parseJsonWithNumberSources(
      '{"amount": 10.50, "data": {"amount": 12345678901234567890.01, "items": [1.0, {"n": 1e2}]}, "label": "10.50"}',
    )!;
    const value = body.value as { amount: number; data: { amount: number; items: [number, { n: number }] } };
    expect(value.amount).toBe(10.5);
    expect(body.numberSource(value, 'amount')).toBe('10.50');
    expect(body.numberSource(value.data, 'amount')).toBe('12345678901234567890.01');
    expect(body.numberSource(value.data.items, '0')).toBe('1.0');
    expect(body.numberSource(value.data.items[1], 'n')).toBe('1e2');
  });

  it('has no source for a string, a missing key or an object of another document', () => {
    const body = parseJsonWithNumberSources('{"amount": "10.50", "nested": {}}')!;
    const value = body.value as { nested: object };
    expect(body.numberSource(value, 'amount')).toBeUndefined();
    expect(body.numberSource(value, 'missing')).toBeUndefined();
    expect(body.numberSource(value.nested, 'amount')).toBeUndefined();
    expect(body.numberSource({ amount: 1 }, 'amount')).toBeUndefined();
  });

  it('is null for what is not JSON', () => {
    expect(parseJsonWithNumberSources('<html>Bad Gateway</html>')).toBeNull();
    expect(parseJsonWithNumberSources('')).toBeNull();
  });
});
