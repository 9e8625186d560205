import { z } from 'zod';
import { latestByKey } from '../kit/latest-by-key.ts';
import type { StateFormat } from '../kit/state-file.ts';
import { ziinaPaymentIntentSchema, type ZiinaPaymentIntent } from './ziina-payment-intent.ts';
import { webhookRegistrationSchema, type ZiinaWebhookRegistration } from './ziina-webhooks.ts';

/** What the Ziina emulator keeps in its state file (emulators/kit/state-file.ts). */
export const ziinaEmulatorStateSchema = z.strictObject({
  apiKey: z.string().min(1),
  intents: z.array(ziinaPaymentIntentSchema),
  webhook: webhookRegistrationSchema.nullable(),
});

export type ZiinaEmulatorState = z.infer<typeof ziinaEmulatorStateSchema>;

/** One line of its journal: an intent minted or changed, or the webhook registered or deleted. */
export type ZiinaStateChange =
  { readonly intent: ZiinaPaymentIntent } | { readonly webhook: ZiinaWebhookRegistration | null };

export const ziinaStateFormat: StateFormat<ZiinaEmulatorState, ZiinaStateChange> = {
  state: ziinaEmulatorStateSchema,
  change: z.union([
    z.strictObject({ intent: ziinaPaymentIntentSchema }),
    z.strictObject({ webhook: webhookRegistrationSchema.nullable() }),
  ]),
  apply: (state, changes) => {
    const [latestWebhook] = changes.flatMap((change) => ('webhook' in change ? [change.webhook] : [])).slice(-1);
    return {
      ...state,
      intents: latestByKey(
        state.intents,
        changes.flatMap((change) => ('intent' in change ? [change.intent] : [])),
        (intent) => intent.id,
      ),
      webhook: latestWebhook === undefined ? state.webhook : latestWebhook,
    };
  },
};
