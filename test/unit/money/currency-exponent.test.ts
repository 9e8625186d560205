import { describe, expect, it } from 'vitest';
import { currencyExponent, minorUnitsToMajor } from '../../../src/money/currency-exponent.ts';

describe('currencyExponent', () => {
  it.each([
    ['AED', 2],
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['TND', 3],
  ])('%s has %d minor digits', (code, digits) => {
    expect(currencyExponent(code)).toBe(digits);
  });

  it('reads a lower-case code like its upper-case form', () => {
    expect(currencyExponent('aed')).toBe(2);
    expect(currencyExponent('kwd')).toBe(3);
  });

  it.each(['ZZZ', 'USDT', 'BTC', '', 'AE', 'constructor', '__proto__', 'toString'])(
    '%j is not an ISO-4217 currency',
    (code) => {
      expect(currencyExponent(code)).toBeUndefined();
    },
  );
});

describe('minorUnitsToMajor', () => {
  it.each([
    [1050, 'AED', '10.50'],
    [1050, 'JPY', '1050'],
    [1050, 'KWD', '1.050'],
    [1, 'BHD', '0.001'],
    [200, 'AED', '2.00'],
    [0, 'AED', '0.00'],
    [500, 'jpy', '500'],
  ] as const)('%d %s -> %s', (minor, code, expected) => {
    expect(minorUnitsToMajor(minor, code)).toBe(expected);
  });

  it('is exact for large values', () => {
    expect(minorUnitsToMajor(Number.MAX_SAFE_INTEGER, 'AED')).toBe('90071992547409.91');
    expect(minorUnitsToMajor(Number.MAX_SAFE_INTEGER, 'KWD')).toBe('9007199254740.991');
    expect(minorUnitsToMajor(Number.MAX_SAFE_INTEGER, 'JPY')).toBe('9007199254740991');
  });

  it('throws a RangeError for an unknown currency', () => {
    expect(() => minorUnitsToMajor(1050, 'ZZZ')).toThrow(RangeError);
    expect(() => minorUnitsToMajor(1050, 'ZZZ')).toThrow(/ZZZ is not an ISO-4217 currency/);
  });
});
