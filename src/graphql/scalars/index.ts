import { CurrencyResolver, DateTimeResolver, URLResolver } from 'graphql-scalars';
import { PLAIN_DECIMAL_FORM } from '../../money/decimal.ts';
import { DecimalScalar } from './decimal-scalar.ts';
import { refusedInputAsValue } from './invalid-scalar-input.ts';
import { JsonObjectScalar } from './json-object-scalar.ts';

/**
 * Every custom scalar of schema/, by name. A value a scalar refuses in an input becomes an
 * InvalidScalarInput, answered as an INVALID_INPUT user error on its field (invalid-scalar-input.ts).
 */
export const scalarResolvers = {
  Decimal: refusedInputAsValue(DecimalScalar, `must be a string in ${PLAIN_DECIMAL_FORM}`),
  Currency: refusedInputAsValue(CurrencyResolver, 'must be an ISO-4217 currency code, e.g. "AED"'),
  DateTime: refusedInputAsValue(
    DateTimeResolver,
    'must be an RFC 3339 date-time with its offset, e.g. "2030-01-01T00:00:00Z"',
  ),
  URL: refusedInputAsValue(URLResolver, 'must be an absolute URL, e.g. "https://shop.example/paid"'),
  JSONObject: refusedInputAsValue(JsonObjectScalar),
};
