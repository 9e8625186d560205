import { z } from 'zod';
import { replayRecordSchema } from './idempotent-replay-store.ts';
import { zopayPaymentIntentSchema } from './zopay-payment-intent.ts';

/** What the Zopay emulator keeps in its state file (emulators/kit/state-file.ts). */
export const zopayEmulatorStateSchema = z.strictObject({
  apiKey: z.string().min(1),
  intents: z.array(zopayPaymentIntentSchema),
  idempotency: z.array(replayRecordSchema),
});
