import Big from 'big.js';

/**
 * An exact decimal number kept as its canonical decimal text (e.g. "10.50").
 * Branded so that an arbitrary string cannot pass for one: only parseDecimal makes it.
 */
export type Decimal = string & { readonly __brand: 'Decimal' };

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

// Plain decimal notation: optional sign, digits, optional fraction. Checked first so that
// the common case keeps its written digits ("10.50" stays "10.50": scale matters in money).
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
// Anything else a decimal may be written as (leading "+", leading zeros, exponent notation) is
// rewritten: sign, digits, exponent.
const ANY_DECIMAL = /^([+-]?)(\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?$/;
// Bounds against absurd inputs ("1e999999" would expand to a megabyte of zeros).
const MAX_TEXT_LENGTH = 100;
const MAX_EXPANDED_DIGITS = 80;

// A Big.js constructor of our own (calling Big() makes an independent copy), in strict mode:
// it refuses JS numbers, so a binary float can never become a Decimal. The global Big stays as is.
const ExactBig = Big();
ExactBig.strict = true;
const ZERO = new ExactBig('0');
const TEN = new ExactBig('10');

/** What a client must write: the message of every refusal of parsePlainDecimal. */
export const PLAIN_DECIMAL_FORM =
  'plain decimal notation, e.g. "10.50": an optional minus sign, digits, an optional fraction, at most 100 characters; no exponent, no leading "+" or zeros, no spaces';

/**
 * A client's decimal, strictly: plain notation only. In a money field, anything else (exponent
 * notation above all: JavaScript writes String(1e21) as "1e+21") is almost always a client bug, so
 * it is refused rather than rewritten.
 */
export function parsePlainDecimal(text: string): Decimal {
  // The length too: a client told to write plain notation when it did would not know what to fix.
  if (text.length > MAX_TEXT_LENGTH || !PLAIN_DECIMAL.test(text)) {
    throw new DecimalFormatError(`must be written in ${PLAIN_DECIMAL_FORM}`);
  }
  return parseDecimal(text);
}

/**
 * Parses decimal text exactly, as providers may write it: exponent notation, a leading "+" or
 * zeros are rewritten; the result never uses them.
 */
export function parseDecimal(text: string): Decimal {
  if (text.length > MAX_TEXT_LENGTH) {
    throw new DecimalFormatError(`a decimal has at most ${MAX_TEXT_LENGTH} characters`);
  }
  if (PLAIN_DECIMAL.test(text) && !/^-0(?:\.0+)?$/.test(text)) {
    return text as Decimal;
  }
  const match = ANY_DECIMAL.exec(text);
  if (!match) {
    throw new DecimalFormatError(`"${text}" is not a decimal number`);
  }
  const [, sign = '', digits = '', exponent = '0'] = match;
  // Bounded before expanding: "1e99999999" must not cost seconds of event loop to refuse.
  if (Math.abs(Number(exponent)) > 2 * MAX_EXPANDED_DIGITS) {
    throw new DecimalFormatError(`a decimal has at most ${MAX_EXPANDED_DIGITS} digits`);
  }
  // Keep the written scale: "1.50e1" is "15.0", "+010.50" is "10.50".
  const writtenFractionDigits = digits.split('.')[1]?.length ?? 0;
  const scale = Math.max(0, writtenFractionDigits - Number(exponent));
  const value = new ExactBig(`${digits}e${exponent}`);
  // Big.js takes no leading "+"; a negative zero is zero.
  const expanded = (sign === '-' && !value.eq(ZERO) ? value.neg() : value).toFixed(scale);
  if (expanded.replace(/[-.]/g, '').length > MAX_EXPANDED_DIGITS) {
    throw new DecimalFormatError(`a decimal has at most ${MAX_EXPANDED_DIGITS} digits`);
  }
  return expanded as Decimal;
}

export function isPositive(value: Decimal): boolean {
  return new ExactBig(value).gt(ZERO);
}

/** Exact value of `units / 10^exponent`, written with exactly `exponent` fraction digits. */
export function scaleDown(units: bigint | number, exponent: number): Decimal {
  return new ExactBig(String(units)).div(TEN.pow(exponent)).toFixed(exponent) as Decimal;
}
