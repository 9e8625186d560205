import { registerZiinaWebhook } from '../../src/app/ziina-webhook-registration.ts';
import type { WebhookDeliveries } from '../../src/emulators/webhook-sender.ts';
import type { ZiinaEmulator } from '../../src/providers/ziina/emulator/ziina-emulator.ts';
import { signZiinaWebhook, ZIINA_SIGNATURE_HEADER } from '../../src/providers/ziina/ziina-webhook-signature.ts';
import type { TestStack } from './test-stack.ts';

export const STATUS_UPDATED = 'payment_intent.status.updated';

/** The subgraph's webhook endpoint, as Ziina is told to call it. */
export function subgraphWebhookUrl(stack: TestStack): string {
  return new URL('/webhooks/ziina', stack.app.graphqlUrl).href;
}

/**
 * Registers the subgraph's endpoint with the stack's Ziina emulator, as an operator does once with
 * the real Ziina (POST /webhook {url, secret}): the test stack gives the subgraph the emulator as
 * if it were the real Ziina, so the subgraph does not register itself.
 */
export function registerSubgraphWebhook(stack: TestStack, secret: string): Promise<void> {
  return registerZiinaWebhook(stack.ziina, subgraphWebhookUrl(stack), secret);
}

/** The deliveries of the stack's Ziina emulator (startTestStack starts a ZiinaEmulator). */
export function ziinaDeliveries(stack: TestStack): WebhookDeliveries {
  return (stack.ziina as ZiinaEmulator).webhooks;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

/** POSTs raw bytes to the subgraph's webhook endpoint, as Ziina (or a forger) would. */
export async function postToSubgraphWebhook(stack: TestStack, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<WebhookAnswer> {
  const response = await fetch(subgraphWebhookUrl(stack), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method !== 'GET' && method !== 'HEAD' && { body }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** A delivery signed as Ziina signs it: hex HMAC-SHA256 of the exact body. */
export function signedBy(secret: string, body: string): Record<string, string> {
  return { [ZIINA_SIGNATURE_HEADER]: signZiinaWebhook(body, secret) };
}
