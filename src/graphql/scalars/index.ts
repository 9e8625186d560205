import { CurrencyResolver, DateTimeResolver, JSONObjectResolver, URLResolver } from 'graphql-scalars';
import { DecimalScalar } from './decimal-scalar.ts';

/** Every custom scalar of schema/, by name. */
export const scalarResolvers = {
  Decimal: DecimalScalar,
  Currency: CurrencyResolver,
  DateTime: DateTimeResolver,
  URL: URLResolver,
  JSONObject: JSONObjectResolver,
};
