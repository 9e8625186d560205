import { createHmac } from 'node:crypto';
import type { WebhookDeliveries } from '../../emulators/kit/webhook-sender.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { call, type HttpAnswer } from './http.ts';
import type { TestStack } from './test-stack.ts';

export const STATUS_UPDATED = 'payment_intent.status.updated';

/** The subgraph's webhook endpoint, as Ziina is told to call it. */
export function subgraphWebhookUrl(stack: TestStack): string {
  return new URL(ziinaWebhook.path, stack.app.graphqlUrl).href;
}

/**
 * Registers the subgraph's endpoint with the stack's Ziina emulator, as an operator does once with
 * the real Ziina (POST /webhook {url, secret}): the test stack gives the subgraph the emulator as
 * if it were the real Ziina, so the subgraph does not register itself.
 */
export function registerSubgraphWebhook(stack: TestStack, secret: string): Promise<void> {
  return ziinaWebhook.register(stack.ziina, subgraphWebhookUrl(stack), secret);
}

/** The deliveries of the stack's Ziina emulator. */
export function ziinaDeliveries(stack: TestStack): WebhookDeliveries {
  return stack.ziina.webhooks;
}

/** POSTs raw bytes to the subgraph's webhook endpoint, as Ziina (or a forger) would. */
export function postToSubgraphWebhook(
  stack: TestStack,
  body: string,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<HttpAnswer> {
  return call(subgraphWebhookUrl(stack), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method !== 'GET' && method !== 'HEAD' && { body }),
  });
}

/** A delivery signed as Ziina signs it (written here from Ziina's documentation): hex HMAC-SHA256 of the exact body. */
export function signedBy(secret: string, body: string): Record<string, string> {
  return { 'x-hmac-signature': createHmac('sha256', secret).update(body).digest('hex') };
}
