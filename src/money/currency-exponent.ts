import currencyCodes from 'currency-codes';
import { scaleDown, type Decimal } from './decimal.ts';

/**
 * ISO-4217 minor-unit exponent of a currency (2 for AED, 0 for JPY, 3 for KWD), from the
 * maintained `currency-codes` data set rather than a hand-written table.
 * Undefined when the code is not an ISO-4217 currency.
 */
export function currencyExponent(currencyCode: string): number | undefined {
  return currencyCodes.code(currencyCode.toUpperCase())?.digits;
}

/** Minor units (e.g. fils) to the major-unit amount clients see: 1050 AED -> "10.50". */
export function minorUnitsToMajor(amountMinor: number, currencyCode: string): Decimal {
  const exponent = currencyExponent(currencyCode);
  if (exponent === undefined) {
    throw new RangeError(`${currencyCode} is not an ISO-4217 currency`);
  }
  return scaleDown(amountMinor, exponent);
}
