import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalFormatError, PLAIN_DECIMAL_FORM, parseDecimal, parsePlainDecimal } from '../../../src/money/decimal.ts';
import {
  canonicalPlainDecimal,
  decimalLikeText,
  digits,
  plainDecimal,
  significantDigits,
} from '../../support/decimal-arbitraries.ts';

// Properties of exact decimal text over generated strings: what a client may write as a Decimal
// (plain notation only) is kept digit for digit, everything else is refused with one message, and
// no value ever passes through a binary float. fast-check prints the seed of a failing run.

const PLAIN_REFUSAL = `must be written in ${PLAIN_DECIMAL_FORM}`;
const PLAIN_NOTATION = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

// Big.js in strict mode, as src/money/decimal.ts uses it: a reference that never reads a JS number.
const ReferenceBig = Big();
ReferenceBig.strict = true;

/** Plain decimals with 18 to 40 significant digits: beyond what a float64 holds exactly. */
const longPlainDecimal = fc
  .tuple(fc.constantFrom('', '-'), significantDigits(18, 31), digits(1, 9))
  .map(([sign, integer, fraction]) => `${sign}${integer}.${fraction}`);

/** Decimal text as a provider may write it: leading "+" or zeros, exponent notation. */
const anyDecimal = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    integer: digits(1, 30),
    fraction: fc.option(digits(1, 30), { nil: undefined }),
    exponent: fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 45 })),
      { nil: undefined },
    ),
  })
  .map(
    ({ sign, integer, fraction, exponent }) =>
      `${sign}${integer}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : exponent.join('')}`,
  );

/** Anything a client could send as text: any code point, near misses, and texts around the 100-character bound. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  decimalLikeText,
  plainDecimal,
  anyDecimal,
  significantDigits(96, 106),
);

function refusal(parse: () => unknown): DecimalFormatError | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof DecimalFormatError) return error;
    throw error;
  }
}

describe('parsePlainDecimal (what clients may write)', () => {
  it('accepts exactly plain notation of at most 100 characters, and refuses anything else with the one plain-notation message', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const refused = refusal(() => parsePlainDecimal(text));
        const plain = PLAIN_NOTATION.test(text) && text.length <= 100;
        if (refused === undefined) {
          expect(plain).toBe(true);
          expect(parsePlainDecimal(text)).toBe(canonicalPlainDecimal(text));
        } else {
          expect(plain).toBe(false);
          expect(refused.message).toBe(PLAIN_REFUSAL);
        }
      }),
    );
  });

  it('keeps the value and the scale of the text', () => {
    fc.assert(
      fc.property(plainDecimal, (text) => {
        const parsed = parsePlainDecimal(text);
        expect(new ReferenceBig(parsed).eq(new ReferenceBig(text))).toBe(true);
        expect(parsed.split('.')[1]?.length ?? 0).toBe(text.split('.')[1]?.length ?? 0);
      }),
    );
  });

  it('keeps every digit of texts a binary float cannot hold (more than 17 significant digits)', () => {
    let floatWouldRound = 0;
    fc.assert(
      fc.property(longPlainDecimal, (text) => {
        expect(parsePlainDecimal(text)).toBe(text);
        if (!new ReferenceBig(String(Number(text))).eq(new ReferenceBig(text))) floatWouldRound += 1;
      }),
      { numRuns: 200 },
    );
    // The generator does reach what Number() would have changed: the property is not vacuous.
    expect(floatWouldRound).toBeGreaterThan(150);
  });
});

describe('parseDecimal (what providers may write)', () => {
  it('reads any decimal text to its exact value in plain notation, keeping the written scale, or refuses it with a DecimalFormatError', () => {
    fc.assert(
      fc.property(anyDecimal, (text) => {
        const refused = refusal(() => parseDecimal(text));
        if (refused !== undefined) {
          expect(refused.message).toMatch(/^a decimal has at most (?:100 characters|80 digits)$/);
          return;
        }
        const parsed = parseDecimal(text);
        expect(parsed).toMatch(PLAIN_NOTATION);
        // Big.js reads exponent notation itself; it takes no leading "+".
        expect(new ReferenceBig(parsed).eq(new ReferenceBig(text.replace(/^\+/, '')))).toBe(true);
        const [mantissa = '', exponent = '0'] = text.split(/e/i);
        const writtenScale = mantissa.split('.')[1]?.length ?? 0;
        expect(parsed.split('.')[1]?.length ?? 0).toBe(Math.max(0, writtenScale - Number(exponent)));
        // Canonical: reading its own output again changes nothing.
        expect(parseDecimal(parsed)).toBe(parsed);
      }),
    );
  });

  it('never fails with anything but a DecimalFormatError, whatever the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        refusal(() => parseDecimal(text));
      }),
    );
  });
});
