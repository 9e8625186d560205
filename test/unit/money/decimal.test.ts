import { describe, expect, it } from 'vitest';
import {
  DecimalFormatError,
  isPositive,
  parseDecimal,
  parsePlainDecimal,
  PLAIN_DECIMAL_FORM,
  scaleDown,
} from '../../../src/money/decimal.ts';

describe('parseDecimal', () => {
  it.each([
    ['10.50', '10.50'],
    ['10.500', '10.500'],
    ['0', '0'],
    ['0.00', '0.00'],
    ['-12.3400', '-12.3400'],
    ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
  ])('keeps the written digits of plain decimal %s', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it('turns "-0" into "0"', () => {
    expect(parseDecimal('-0')).toBe('0');
  });

  it.each([
    ['1e3', '1000'],
    ['1E+2', '100'],
    ['1e-5', '0.00001'],
    ['-1.5e-3', '-0.0015'],
    ['1.50e1', '15.0'],
    ['+10.50', '10.50'],
    ['010.50', '10.50'],
    ['-0.00', '0.00'],
    ['2.5e0', '2.5'],
    ['0e5', '0'],
    ['1e20', '100000000000000000000'],
    ['1e-20', '0.00000000000000000001'],
  ])('expands exponent notation %s exactly to %s', (text, expected) => {
    const result = parseDecimal(text);
    expect(result).toBe(expected);
    expect(result).not.toMatch(/e/i);
  });

  it('expands a long exponent without a binary float losing digits', () => {
    // 2^64 + 1 cannot be held exactly by a float64.
    expect(parseDecimal('1.8446744073709551617e19')).toBe('18446744073709551617');
  });

  it.each([
    ['007', '7'],
    ['00.5', '0.5'],
  ])('rewrites leading zeros of %s', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each(['', 'abc', '1.', '.5', '1,5', '0x10', ' 1', '1 ', '1.2.3', '--1', 'Infinity', 'NaN', '1e', 'e5', '١٢'])(
    'rejects %j with a DecimalFormatError',
    (text) => {
      expect(() => parseDecimal(text)).toThrow(DecimalFormatError);
    },
  );

  it('accepts 100 characters and rejects 101', () => {
    const hundred = '1'.repeat(100);
    expect(parseDecimal(hundred)).toBe(hundred);
    expect(() => parseDecimal('1'.repeat(101))).toThrow(DecimalFormatError);
    expect(() => parseDecimal('1'.repeat(101))).toThrow(/at most 100 characters/);
  });

  it('bounds the expansion of exponent notation to 80 digits', () => {
    expect(parseDecimal('1e79')).toBe(`1${'0'.repeat(79)}`);
    expect(() => parseDecimal('1e80')).toThrow(DecimalFormatError);
    expect(() => parseDecimal('1e999999')).toThrow(/at most 80 digits/);
    expect(() => parseDecimal('1e-80')).toThrow(DecimalFormatError);
  });

  it('refuses a huge exponent quickly, without expanding it first', () => {
    // "1e99999999" used to be expanded to 100 million digits before the 80-digit check.
    const started = performance.now();
    expect(() => parseDecimal('1e99999999')).toThrow(DecimalFormatError);
    expect(() => parseDecimal('1e-99999999')).toThrow(DecimalFormatError);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('names the rejected text in the message', () => {
    expect(() => parseDecimal('ten')).toThrow('"ten" is not a decimal number');
  });

  it.each([
    ['+1', '1'],
    ['+0', '0'],
    ['+1e2', '100'],
    ['+2.5', '2.5'],
  ])('reads a leading "+" in %s as %s', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each(['+-1', '-+1', '++1'])('rejects the doubled sign %s with a DecimalFormatError', (text) => {
    expect(() => parseDecimal(text)).toThrow(DecimalFormatError);
  });
});

describe('isPositive', () => {
  it.each([
    ['0.00000001', true],
    ['1', true],
    ['10.50', true],
    ['0', false],
    ['0.000', false],
    ['-0.01', false],
    ['-5', false],
  ])('%s -> %s', (text, expected) => {
    expect(isPositive(parseDecimal(text))).toBe(expected);
  });
});

describe('scaleDown', () => {
  it.each([
    [1050, 2, '10.50'],
    [1050, 0, '1050'],
    [1050, 3, '1.050'],
    [5, 3, '0.005'],
    [0, 2, '0.00'],
    [-150, 2, '-1.50'],
    [100, 2, '1.00'],
  ] as const)('%d / 10^%d = %s with exactly that many fraction digits', (units, exponent, expected) => {
    expect(scaleDown(units, exponent)).toBe(expected);
  });

  it('is exact for a bigint beyond float precision', () => {
    expect(scaleDown(123456789012345678901234567891n, 2)).toBe('1234567890123456789012345678.91');
  });

  it('is exact for the largest safe integer', () => {
    expect(scaleDown(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
  });
});

describe('parsePlainDecimal', () => {
  it('refuses plain notation beyond 100 characters with the one message of every refusal, which names the bound', () => {
    expect(parsePlainDecimal('9'.repeat(100))).toBe('9'.repeat(100));
    expect(() => parsePlainDecimal('9'.repeat(101))).toThrow(`must be written in ${PLAIN_DECIMAL_FORM}`);
    expect(PLAIN_DECIMAL_FORM).toContain('at most 100 characters');
  });
});
