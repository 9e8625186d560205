import { z } from 'zod';
import { idempotencyRecordSchema } from './zopay-idempotency.ts';
import { zopayPaymentIntentSchema } from './zopay-payment-intent.ts';

/** What the Zopay emulator keeps in its state file (src/emulators/state-file.ts). */
export const zopayEmulatorStateSchema = z.strictObject({
  apiKey: z.string().min(1),
  intents: z.array(zopayPaymentIntentSchema),
  idempotency: z.array(idempotencyRecordSchema),
});
