import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { WebhookSender } from '../kit/webhook-sender.ts';
import type { ZiinaPaymentIntent } from './ziina-payment-intent.ts';

/**
 * Ziina's webhooks (docs/providers/ziina.md): `POST /webhook {url, secret?}` registers one URL per account, which
 * then receives `{event, data}` on every payment intent status change, with no event id and no timestamp.
 */

/** Ziina retries a failed delivery 3 times (docs/providers/ziina.md). */
export const ZIINA_WEBHOOK_RETRIES = 3;

export interface ZiinaWebhookRegistration {
  readonly url: string;
  /** Signs the events when set. */
  readonly secret?: string | undefined;
}

/** The body of `POST /webhook`, with class-validator's messages; also checks a saved registration. */
export const webhookRegistrationSchema: z.ZodType<ZiinaWebhookRegistration> = z.strictObject(
  {
    url: z.url({ protocol: /^https?$/, error: 'url must be a URL address' }),
    // @IsOptional: null counts as absent, as for the create body.
    secret: z
      .string({ error: 'secret must be a string' })
      .min(1, { error: 'secret should not be empty' })
      .nullish()
      .transform((secret) => secret ?? undefined),
  },
  { error: 'request body must be an object' },
);

export type ValidatedRegistration =
  | { readonly valid: true; readonly registration: ZiinaWebhookRegistration }
  | { readonly valid: false; readonly messages: readonly string[] };

export function validateWebhookRegistration(body: unknown): ValidatedRegistration {
  const parsed = webhookRegistrationSchema.safeParse(body);
  if (parsed.success) {
    return { valid: true, registration: parsed.data };
  }
  // forbidNonWhitelisted gives one message per unknown property, as for the create body.
  const messages = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => `property ${key} should not exist`) : [issue.message],
  );
  return { valid: false, messages };
}

/** Ziina's signature header: the lower-case hex HMAC-SHA256 of the raw body, keyed by the registered secret. */
const SIGNATURE_HEADER = 'x-hmac-signature';

/**
 * Sends `payment_intent.status.updated` with the intent as GET /payment_intent/:id now answers it.
 * The signature covers the exact bytes sent.
 */
export function sendStatusUpdated(
  sender: WebhookSender,
  registration: ZiinaWebhookRegistration,
  intent: ZiinaPaymentIntent,
): void {
  const body = JSON.stringify({ event: 'payment_intent.status.updated', data: intent });
  const headers: Record<string, string> =
    registration.secret === undefined
      ? {}
      : { [SIGNATURE_HEADER]: createHmac('sha256', registration.secret).update(body).digest('hex') };
  sender.send(registration.url, body, headers);
}
