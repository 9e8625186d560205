import currencyCodes from 'currency-codes';

/**
 * Ziina's business checks after validation (docs/providers/ziina.md): each failure is 400 {code, message}.
 * Exponents come straight from the ISO-4217 data rather than the subgraph's own money code, so the
 * emulator stays an independent check of it.
 */

/**
 * AED plus a mix of 0-decimal (JPY) and 3-decimal (BHD, JOD, KWD, OMR) currencies, so tests can cover
 * every exponent.
 */
const SUPPORTED_CURRENCIES = new Set(['AED', 'USD', 'EUR', 'GBP', 'SAR', 'QAR', 'OMR', 'BHD', 'KWD', 'JOD', 'JPY']);
const MINIMUM_MAJOR_UNITS = 2;
const LIMIT_MAJOR_UNITS = 100_000;

export interface BusinessRuleViolation {
  readonly code: 'CURRENCY_NOT_SUPPORTED' | 'TRANSFER_UNDER_MINIMUM' | 'TRANSFER_EXCEEDS_LIMIT';
  readonly message: string;
}

/** @param amount in minor units (200 is 2.00 AED, 2 is 2 JPY, 2000 is 2.000 KWD). */
export function checkTransfer(amount: number, currencyCode: string): BusinessRuleViolation | undefined {
  const exponent = currencyCodes.code(currencyCode)?.digits;
  if (!SUPPORTED_CURRENCIES.has(currencyCode) || exponent === undefined) {
    return { code: 'CURRENCY_NOT_SUPPORTED', message: `Currency ${currencyCode} is not supported` };
  }
  const minorPerMajor = 10 ** exponent;
  if (amount < MINIMUM_MAJOR_UNITS * minorPerMajor) {
    return {
      code: 'TRANSFER_UNDER_MINIMUM',
      message: `Amount must be at least ${MINIMUM_MAJOR_UNITS} ${currencyCode}`,
    };
  }
  if (amount > LIMIT_MAJOR_UNITS * minorPerMajor) {
    return { code: 'TRANSFER_EXCEEDS_LIMIT', message: `Amount must be at most ${LIMIT_MAJOR_UNITS} ${currencyCode}` };
  }
  return undefined;
}
