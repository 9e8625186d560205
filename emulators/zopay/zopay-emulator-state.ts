import { z } from 'zod';
import { latestByKey } from '../kit/latest-by-key.ts';
import type { StateFormat } from '../kit/state-file.ts';
import { replayRecordKey, replayRecordSchema, type ReplayRecord } from './idempotent-replay-store.ts';
import { zopayPaymentIntentSchema, type ZopayPaymentIntent } from './zopay-payment-intent.ts';

/** What the Zopay emulator keeps in its state file (emulators/kit/state-file.ts). */
export const zopayEmulatorStateSchema = z.strictObject({
  apiKey: z.string().min(1),
  intents: z.array(zopayPaymentIntentSchema),
  idempotency: z.array(replayRecordSchema),
});

export type ZopayEmulatorState = z.infer<typeof zopayEmulatorStateSchema>;

/** One line of its journal: an intent minted or changed, or a response stored for replays. */
export type ZopayStateChange = { readonly intent: ZopayPaymentIntent } | { readonly replay: ReplayRecord };

export const zopayStateFormat: StateFormat<ZopayEmulatorState, ZopayStateChange> = {
  state: zopayEmulatorStateSchema,
  change: z.union([
    z.strictObject({ intent: zopayPaymentIntentSchema }),
    z.strictObject({ replay: replayRecordSchema }),
  ]),
  apply: (state, changes) => ({
    ...state,
    intents: latestByKey(
      state.intents,
      changes.flatMap((change) => ('intent' in change ? [change.intent] : [])),
      (intent) => intent.id,
    ),
    idempotency: latestByKey(
      state.idempotency,
      changes.flatMap((change) => ('replay' in change ? [change.replay] : [])),
      replayRecordKey,
    ),
  }),
};
