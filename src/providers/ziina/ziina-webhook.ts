import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseJsonWithNumberSources } from '../../lib/exact-json.ts';
import { firstHeader } from '../../lib/first-header.ts';
import { ProviderIntegrationError } from '../provider-errors.ts';
import type { ProviderWebhook, WebhookEvent } from '../provider-module.ts';
import { toPaymentIntent } from './ziina-transformers.ts';

// https://docs.ziina.com/api-reference/webhook: `POST /webhook {url, secret}` registers one URL per
// account; deliveries are {event, data}, with no event id and no timestamp, signed when a secret is
// set: header X-Hmac-Signature, the hex HMAC-SHA256 (RFC 2104) of the raw body keyed by the secret.

const SIGNATURE_HEADER = 'x-hmac-signature';
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const STATUS_UPDATED = 'payment_intent.status.updated';
const REGISTRATION_TIMEOUT_MS = 5_000;

const Envelope = z.looseObject({ event: z.string(), data: z.unknown() });

/**
 * True when the header is the signature of these exact bytes. Hex is compared as the bytes it stands
 * for, so upper-case hex is accepted too; a missing, non-hex or wrong-length header is false, never an
 * exception. The comparison takes the same time wherever the bytes differ.
 */
function verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, secret: string): boolean {
  const signature = firstHeader(headers[SIGNATURE_HEADER]);
  if (signature === undefined || !SHA256_HEX.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}

/** `payment_intent.status.updated` carries the intent as GET /payment_intent/{id} answers it. */
function parse(rawBody: Buffer): WebhookEvent {
  const body = parseJsonWithNumberSources(rawBody.toString('utf8'));
  const envelope = Envelope.safeParse(body?.value);
  if (body === null || !envelope.success)
    return { kind: 'malformed', problem: 'body must be a JSON object {event, data}' };
  const { event, data } = envelope.data;
  if (event !== STATUS_UPDATED) return { kind: 'ignored', event };
  try {
    return {
      kind: 'intent_reported',
      event,
      intent: toPaymentIntent({ value: data, numberSource: body.numberSource }),
    };
  } catch (error) {
    if (error instanceof ProviderIntegrationError)
      return { kind: 'malformed', problem: `data is not a payment intent: ${error.message}` };
    throw error;
  }
}

export const ziinaWebhook: ProviderWebhook = {
  path: '/webhooks/ziina',
  verify,
  parse,
  async register(credentials, url, secret) {
    const response = await fetch(`${credentials.baseUrl}/webhook`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, secret }),
      signal: AbortSignal.timeout(REGISTRATION_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`Ziina refused the webhook registration (HTTP ${response.status})`);
  },
};
