import type { Logger } from '../logging/logger.ts';
import type { CreatePaymentIntent } from '../payments/create-payment-intent.ts';
import type { PaymentIntentReader } from '../payments/payment-intent-reader.ts';

/** What every resolver receives. Built once per request by the HTTP layer. */
export interface GraphQLContext {
  readonly createPaymentIntent: CreatePaymentIntent;
  readonly paymentIntents: PaymentIntentReader;
  readonly logger: Logger;
}
