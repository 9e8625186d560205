import { randomUUID } from 'node:crypto';
import type { StartedEmulator } from '../../emulators/kit/emulator.ts';

/**
 * Creates an intent at an emulator directly, behind the subgraph's back: an intent that exists
 * at the provider but not in the subgraph's store, so a read of it must ask the provider.
 * Returns its global id.
 */
export async function createBehindTheSubgraph(provider: 'ZOPAY' | 'ZIINA', emulator: StartedEmulator): Promise<string> {
  const zopay = provider === 'ZOPAY';
  const response = await fetch(`${emulator.baseUrl}${zopay ? '/payment-intents' : '/payment_intent'}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${emulator.apiKey}`,
      'content-type': 'application/json',
      ...(zopay && { 'idempotency-key': randomUUID() }),
    },
    body: JSON.stringify(zopay ? { amount: '3.00', currencies: ['USDT'] } : { amount: 400, currency_code: 'AED' }),
  });
  const body = (await response.json()) as { id: string };
  if (response.status !== 201 && response.status !== 200) throw new Error(`direct create answered ${response.status}`);
  return `${provider.toLowerCase()}:${body.id}`;
}
