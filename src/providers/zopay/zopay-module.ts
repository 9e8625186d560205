import { z } from 'zod';
import { providerEnvironment } from '../../config/provider-environment.ts';
import type { ProviderModule } from '../provider-module.ts';
import { ZopayAdapter } from './zopay-adapter.ts';
import { ZOPAY } from './zopay-identity.ts';
import { validateZopayInput, type ZopayCreateRequest } from './zopay-input.ts';
import { ZOPAY_STATUSES } from './zopay-status.ts';

/** Zopay Connect: crypto payment intents with exact decimal amounts (docs/providers/zopay.md). */
export const zopayModule: ProviderModule<ZopayCreateRequest> = {
  ...ZOPAY,
  graphql: { inputField: 'zopay', detailsType: 'ZopayPaymentIntentDetails' },
  environment: providerEnvironment(ZOPAY.id, {
    apiKey: z.string().regex(/^sk_(live|test)_\S+$/, 'must be a Zopay Connect key (sk_live_... or sk_test_...)'),
    defaultBaseUrl: 'https://api.zopay.cash/connect/v1',
    signsWebhooks: false,
  }),
  validateInput: validateZopayInput,
  // Nothing in a Zopay create depends on the moment it is sent.
  issuesAtSending: () => [],
  statuses: ZOPAY_STATUSES,
  createAdapter: (endpoint) => new ZopayAdapter(endpoint),
  webhook: null,
  emulator: {
    defaultPort: 4010,
    // Loaded only when used: production never starts an emulator, and its image does not ship them.
    start: async (options) => (await import('../../../emulators/zopay/zopay-emulator.ts')).startZopayEmulator(options),
  },
};
