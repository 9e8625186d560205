import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { writeJson } from '../http/graphql-http-handler.ts';
import { readRequestBytes } from '../http/request-body.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PaymentIntentRepository } from '../payments/payment-intent-repository.ts';
import { parseJsonBody } from '../providers/json-body.ts';
import { ProviderContractError } from '../providers/provider-contract.ts';
import { verifyZiinaWebhookSignature } from '../providers/ziina/ziina-webhook-signature.ts';
import { toPaymentIntent } from '../providers/ziina/ziina-transformers.ts';
import { firstHeader } from '../shared/first-header.ts';

export interface ZiinaWebhookOptions {
  /** The secret registered with Ziina (POST /webhook {url, secret}). */
  readonly secret: string;
  readonly intents: PaymentIntentRepository;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly maxBodyBytes: number;
}

// https://docs.ziina.com/api-reference/webhook: {event, data}; no event id, no timestamp.
const Envelope = z.looseObject({ event: z.string(), data: z.unknown() });
const STATUS_UPDATED = 'payment_intent.status.updated';

/**
 * POST /webhooks/ziina. The signature (X-Hmac-Signature, hex HMAC-SHA256 of the raw body) is
 * checked before the body is even parsed: an unsigned or forged delivery is 401 and changes
 * nothing. A status update is stored through the same upsert as a read, which keeps a terminal
 * status against the repeated and out-of-order deliveries Ziina warns of. Other events are
 * acknowledged and ignored; a failure to store is a 500, so that Ziina delivers again.
 */
export function createZiinaWebhookHandler(options: ZiinaWebhookOptions) {
  const { logger, metrics } = options;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      writeJson(response, 405, { error: 'use POST' });
      return;
    }
    const raw = await readRequestBytes(request, options.maxBodyBytes);
    if (!verifyZiinaWebhookSignature(raw, firstHeader(request.headers['x-hmac-signature']), options.secret)) {
      metrics.webhook('ZIINA', 'unauthorized');
      logger.warn('Ziina webhook refused: missing or wrong X-Hmac-Signature');
      writeJson(response, 401, { error: 'invalid signature' });
      return;
    }
    const body = parseJsonBody(raw.toString('utf8'));
    const envelope = Envelope.safeParse(body?.value);
    if (body === null || !envelope.success) {
      metrics.webhook('ZIINA', 'malformed');
      writeJson(response, 400, { error: 'body must be a JSON object {event, data}' });
      return;
    }
    const { event, data } = envelope.data;
    if (event !== STATUS_UPDATED) {
      metrics.webhook('ZIINA', 'ignored');
      logger.info({ event }, 'Ziina webhook event ignored');
      writeJson(response, 200, { received: true });
      return;
    }
    let intent;
    try {
      intent = toPaymentIntent({ value: data, numberSource: body.numberSource });
    } catch (error) {
      if (!(error instanceof ProviderContractError)) throw error;
      metrics.webhook('ZIINA', 'malformed');
      writeJson(response, 400, { error: `data is not a payment intent: ${error.message}` });
      return;
    }
    const [stored] = await options.intents.saveReported([intent]);
    metrics.webhook('ZIINA', 'applied');
    logger.info({ paymentIntentId: intent.id, reported: intent.status, stored: stored?.status }, 'Ziina webhook applied');
    writeJson(response, 200, { received: true });
  };
}
