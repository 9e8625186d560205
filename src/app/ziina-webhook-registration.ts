import type { ProviderCredentials } from '../config/environment.ts';

const REGISTRATION_TIMEOUT_MS = 5_000;

/**
 * Registers a webhook endpoint with Ziina (POST /webhook {url, secret}, providers.md). The
 * subgraph does it with its built-in emulator at start-up, so that status changes reach the
 * store with no setup; with the real Ziina it is an operator's one-time step. Ziina keeps one URL
 * per account: the last registration wins.
 */
export async function registerZiinaWebhook(ziina: ProviderCredentials, url: string, secret: string): Promise<void> {
  const response = await fetch(`${ziina.baseUrl}/webhook`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ziina.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, secret }),
    signal: AbortSignal.timeout(REGISTRATION_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`Ziina refused the webhook registration (HTTP ${response.status})`);
}
