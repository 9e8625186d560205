import { z } from 'zod';
import { providerEnvironment } from '../../config/provider-environment.ts';
import type { ProviderModule } from '../provider-module.ts';
import { ZiinaAdapter } from './ziina-adapter.ts';
import { ZIINA } from './ziina-identity.ts';
import { validateZiinaInput, ziinaIssuesAtSending, type ZiinaCreateRequest } from './ziina-input.ts';
import { ZIINA_STATUSES } from './ziina-status.ts';
import { ziinaWebhook } from './ziina-webhook.ts';

/** Ziina: fiat payment intents in integer minor units, with signed webhooks (docs/providers/ziina.md). */
export const ziinaModule: ProviderModule<ZiinaCreateRequest> = {
  ...ZIINA,
  graphql: { inputField: 'ziina', detailsType: 'ZiinaPaymentIntentDetails' },
  environment: providerEnvironment(ZIINA.id, {
    apiKey: z.string().regex(/^\S+$/, 'must not contain spaces'),
    defaultBaseUrl: 'https://api-v2.ziina.com/api',
    signsWebhooks: true,
  }),
  validateInput: validateZiinaInput,
  issuesAtSending: ziinaIssuesAtSending,
  statuses: ZIINA_STATUSES,
  createAdapter: (endpoint) => new ZiinaAdapter(endpoint),
  webhook: ziinaWebhook,
  emulator: {
    defaultPort: 4020,
    // Loaded only when used: production never starts an emulator, and its image does not ship them.
    start: async (options) => (await import('../../../emulators/ziina/ziina-emulator.ts')).startZiinaEmulator(options),
  },
};
