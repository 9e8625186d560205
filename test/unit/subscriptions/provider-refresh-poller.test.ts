import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import type { IntentUpdate } from '../../../src/subscriptions/intent-update-hub.ts';
import { ProviderRefreshPoller } from '../../../src/subscriptions/provider-refresh-poller.ts';
import { reportedAs, ziinaIntent, zopayIntent } from '../../support/builders.ts';

const PROVIDER_IDS = ['ZOPAY', 'ZIINA'] as const;

/** The leases claimed at the poller's first tick, with these intents watched and Ziina's webhooks reaching it. */
async function firstClaimOf(
  watched: readonly { readonly id: string; readonly intent: IntentUpdate | undefined }[],
  windowMs: number,
): Promise<ReadonlyMap<string, number>> {
  const { promise: claimed, resolve } = Promise.withResolvers<ReadonlyMap<string, number>>();
  const poller = new ProviderRefreshPoller({
    watched: () => watched,
    webhookProviders: new Set(['ZIINA']),
    providerIds: PROVIDER_IDS,
    claim: (leaseMsById) => {
      resolve(leaseMsById);
      return Promise.resolve([]);
    },
    refresh: () => Promise.resolve(),
    windowMs,
    logger: createLogger({ level: 'silent', secrets: [] }),
  });
  try {
    return await claimed;
  } finally {
    await poller.stop();
  }
}

describe('ProviderRefreshPoller', () => {
  it.each([
    { windowMs: 5_000, pollLeaseMs: 5_000, fallbackLeaseMs: 60_000 },
    { windowMs: 0, pollLeaseMs: 1_000, fallbackLeaseMs: 12_000 },
  ])(
    'with a window of $windowMs ms, claims every watched intent that may still change in one call: $pollLeaseMs ms without webhooks, $fallbackLeaseMs ms with them',
    async ({ windowMs, pollLeaseMs, fallbackLeaseMs }) => {
      const zopay = zopayIntent('zp_open');
      const ziina = ziinaIntent('3c1f0000-0000-4000-8000-000000000001');
      const claimed = await firstClaimOf(
        [
          { id: zopay.id, intent: zopay },
          { id: ziina.id, intent: ziina },
          // Its first read has not answered yet.
          { id: 'ziina:3c1f0000-0000-4000-8000-000000000002', intent: undefined },
          { id: 'zopay:zp_done', intent: reportedAs(zopayIntent('zp_done'), 'COMPLETED') },
          { id: 'zopay:zp_unknown', intent: null },
          { id: 'stripe:pi_1', intent: undefined },
        ],
        windowMs,
      );
      expect(claimed).toEqual(
        new Map([
          [zopay.id, pollLeaseMs],
          [ziina.id, fallbackLeaseMs],
          ['ziina:3c1f0000-0000-4000-8000-000000000002', fallbackLeaseMs],
        ]),
      );
    },
  );
});
