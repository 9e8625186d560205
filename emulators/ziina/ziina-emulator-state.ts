import { z } from 'zod';
import { ziinaPaymentIntentSchema } from './ziina-payment-intent.ts';
import { webhookRegistrationSchema } from './ziina-webhooks.ts';

/** What the Ziina emulator keeps in its state file (emulators/kit/state-file.ts). */
export const ziinaEmulatorStateSchema = z.strictObject({
  apiKey: z.string().min(1),
  intents: z.array(ziinaPaymentIntentSchema),
  webhook: webhookRegistrationSchema.nullable(),
});
