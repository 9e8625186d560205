import type { ProviderCredentials } from '../config/environment.ts';

const REGISTRATION_TIMEOUT_MS = 5_000;

/**
 * Registers this process's webhook endpoint with the built-in Ziina emulator, as an operator
 * does once with the real Ziina (POST /webhook {url, secret}, providers.md), so that status
 * changes reach the store with no setup. Ziina keeps one URL per account: the last process
 * started on an emulator receives its webhooks.
 */
export async function registerWithEmbeddedZiina(ziina: ProviderCredentials, url: string, secret: string): Promise<void> {
  const response = await fetch(`${ziina.baseUrl}/webhook`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ziina.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, secret }),
    signal: AbortSignal.timeout(REGISTRATION_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the Ziina emulator refused the webhook registration (HTTP ${response.status})`);
}
