import fc from 'fast-check';

// fast-check arbitraries of decimal text, for the properties of src/money/decimal.ts and of the
// Decimal scalar.

/** One character of `text`, any of them (code points: a lone surrogate stays one character). */
export function oneCharacterOf(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(...Array.from(text));
}

/** ASCII digits, as many as asked. */
export function digits(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: oneCharacterOf('0123456789'), minLength, maxLength });
}

/** Digits without a leading zero. */
export function significantDigits(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(oneCharacterOf('123456789'), digits(minLength - 1, maxLength - 1))
    .map(([first, rest]) => first + rest);
}

/** Plain decimal notation as a client writes it: "-"?, no leading zero, an optional fraction; at most 100 characters. */
export const plainDecimal: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.oneof(fc.constant('0'), significantDigits(1, 61)),
    fc.option(digits(1, 38), { nil: undefined }),
  )
  .map(([sign, integer, fraction]) => `${sign}${integer}${fraction === undefined ? '' : `.${fraction}`}`)
  .filter((text) => text.length <= 100);

/** Near misses of decimal text: digits, signs, dots, exponents, spaces, U+0000, a lone surrogate, non-ASCII digits. */
export const decimalLikeText: fc.Arbitrary<string> = fc.string({
  unit: oneCharacterOf('0123456789.-+eE ,_x\u0000\ud800\u0660\uff10'),
  maxLength: 40,
});

/** What a plain decimal reads as: "-0", "-0.00" are zero and lose their sign (and keep their scale). */
export function canonicalPlainDecimal(text: string): string {
  return /^-0(?:\.0+)?$/.test(text) ? text.slice(1) : text;
}
