import type { Logger } from '../logging/logger.ts';
import type { ObservedRequest } from '../observability/request-scope.ts';
import type { CreatePaymentIntent } from '../payments/create-payment-intent.ts';
import type { ListPaymentIntents } from '../payments/list-payment-intents.ts';
import type { PaymentIntentLoader } from '../payments/payment-intent-loader.ts';
import type { IntentUpdateHub } from '../subscriptions/intent-update-hub.ts';

/** What every resolver receives. Built once per request by the HTTP layer. */
export interface GraphQLContext {
  readonly createPaymentIntent: CreatePaymentIntent;
  readonly listPaymentIntents: ListPaymentIntents;
  /** Per request: batches and de-duplicates reads by id. */
  readonly paymentIntents: PaymentIntentLoader;
  /** Subscriptions to intents, shared by every connection of the process. */
  readonly intentUpdates: Pick<IntentUpdateHub, 'watch'>;
  readonly logger: Logger;
  /** The request being served: its id, its span, and the creates it ran, for the operation's log line. */
  readonly request: ObservedRequest;
}
