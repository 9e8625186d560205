import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PaymentIntentRepository } from '../payments/payment-intent-repository.ts';
import type { ProviderIdentity } from '../providers/provider-errors.ts';
import type { ProviderWebhook } from '../providers/provider-module.ts';
import { writeJson } from '../lib/http/json-response.ts';
import { readRequestBody } from '../lib/http/request-body.ts';

export interface WebhookEndpointOptions {
  readonly provider: ProviderIdentity;
  readonly webhook: ProviderWebhook;
  /** The secret registered with the provider. */
  readonly secret: string;
  readonly intents: PaymentIntentRepository;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly maxBodyBytes: number;
}

/**
 * POST <webhook path> of a provider (docs/decisions/webhook-ordering.md). The signature is checked
 * before the body is even parsed: an unsigned or forged delivery is 401 and changes nothing. A
 * reported intent is stored through the same upsert as a read, which keeps a terminal status against
 * repeated and out-of-order deliveries. Other events are acknowledged and ignored; a failure to store
 * is a 500, so that the provider delivers again.
 */
export function createWebhookEndpoint(options: WebhookEndpointOptions) {
  const { provider, webhook, logger, metrics } = options;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST') {
      writeJson(response, 405, { error: 'use POST' }, { allow: 'POST' });
      return;
    }
    const raw = await readRequestBody(request, options.maxBodyBytes);
    if (!webhook.verify(raw, request.headers, options.secret)) {
      metrics.webhook(provider.id, 'unauthorized');
      logger.warn({ provider: provider.id }, `${provider.displayName} webhook refused: missing or wrong signature`);
      writeJson(response, 401, { error: 'invalid signature' });
      return;
    }
    const event = webhook.parse(raw);
    switch (event.kind) {
      case 'malformed':
        metrics.webhook(provider.id, 'malformed');
        writeJson(response, 400, { error: event.problem });
        return;
      case 'ignored':
        metrics.webhook(provider.id, 'ignored');
        logger.info({ provider: provider.id, event: event.event }, `${provider.displayName} webhook event ignored`);
        writeJson(response, 200, { received: true });
        return;
      case 'intent_reported': {
        const [stored] = await options.intents.saveReported([event.intent]);
        metrics.webhook(provider.id, 'applied');
        logger.info(
          {
            provider: provider.id,
            event: event.event,
            paymentIntentId: event.intent.id,
            reported: event.intent.status,
            stored: stored?.status,
          },
          `${provider.displayName} webhook applied`,
        );
        writeJson(response, 200, { received: true });
      }
    }
  };
}
