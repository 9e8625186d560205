import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { z } from 'zod';
import { providerEnvironment } from '../../src/config/provider-environment.ts';
import { isPositive, parseDecimal } from '../../src/money/decimal.ts';
import type { ProviderCreateRequest } from '../../src/payments/create-payment-intent-command.ts';
import type { PaymentIntent, ProviderIntentDetails } from '../../src/payments/payment-intent.ts';
import { formatPaymentIntentId } from '../../src/payments/payment-intent-id.ts';
import { issuesFromZod } from '../../src/payments/validation/issues-from-zod.ts';
import type { ProviderEndpoint } from '../../src/providers/provider-endpoint.ts';
import type { ProviderAdapter, ProviderModule } from '../../src/providers/provider-module.ts';
import { mapProviderStatus } from '../../src/providers/provider-status.ts';
import type { JsonWithNumberSources } from '../../src/lib/exact-json.ts';
import { startAcmeEmulator, type AcmeIntent } from './acme-emulator.ts';

// Acme Pay, an imaginary third provider, written as a provider module: everything the subgraph
// needs to know of it in this one folder, and nothing about it anywhere else.

const ACME = { id: 'ACME', displayName: 'Acme Pay' };

/** The schema's AcmePaymentIntentInput and AcmePaymentIntentDetails. */
export const acmeTypeDefs: DocumentNode = parse(readFileSync(new URL('acme.graphql', import.meta.url), 'utf8'));

interface AcmeCreateRequest extends ProviderCreateRequest {
  readonly amount: string;
  readonly currency: string;
}

interface AcmeIntentDetails extends ProviderIntentDetails {
  readonly reference: string;
}

/** Acme's error bodies say nothing the subgraph reads. */
const NO_DETAILS = { code: null, message: null, field: null };

const ACME_STATUSES = { open: 'REQUIRES_PAYMENT_INSTRUMENT', paid: 'COMPLETED' } as const;

const AcmeInput = z.object({
  amount: z.string().refine((amount) => isPositive(parseDecimal(amount)), 'must be greater than 0'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code'),
});

function toPaymentIntent(body: JsonWithNumberSources): PaymentIntent<AcmeIntentDetails> {
  const wire = body.value as AcmeIntent;
  return {
    id: formatPaymentIntentId(ACME.id, wire.id),
    provider: ACME.id,
    providerId: wire.id,
    status: mapProviderStatus(ACME_STATUSES, wire.state),
    providerStatus: wire.state,
    amount: { amount: parseDecimal(wire.amount), currency: wire.currency },
    checkoutUrl: null,
    createdAt: null,
    externalRef: null,
    creationMarker: null,
    details: { provider: ACME.id, reference: wire.reference },
  };
}

class AcmeAdapter implements ProviderAdapter<AcmeCreateRequest> {
  readonly resendsCreatesSafely = true;
  readonly #endpoint: ProviderEndpoint;

  constructor(endpoint: ProviderEndpoint) {
    this.#endpoint = endpoint;
  }

  creationMarker(): null {
    return null;
  }

  create(request: AcmeCreateRequest, clientMutationId: string) {
    return this.#endpoint.create({
      path: '/intents',
      body: JSON.stringify({ amount: request.amount, currency: request.currency }),
      retryPolicy: 'idempotent',
      headers: { 'idempotency-key': clientMutationId },
      intent: toPaymentIntent,
      errorDetails: () => NO_DETAILS,
    });
  }

  get(providerId: string) {
    return this.#endpoint.read({
      path: `/intents/${encodeURIComponent(providerId)}`,
      isNotFound: ({ status }) => status === 404,
      intent: toPaymentIntent,
      errorDetails: () => NO_DETAILS,
    });
  }
}

export const acmeModule: ProviderModule<AcmeCreateRequest> = {
  ...ACME,
  graphql: { inputField: 'acme', detailsType: 'AcmePaymentIntentDetails' },
  environment: providerEnvironment(ACME.id, {
    apiKey: z.string().min(1),
    defaultBaseUrl: 'https://api.acme.invalid/v1',
    signsWebhooks: false,
  }),
  validateInput: (input) => {
    const parsed = AcmeInput.safeParse(input);
    return parsed.success
      ? { ok: true, value: { provider: ACME.id, ...parsed.data } }
      : { ok: false, issues: issuesFromZod(parsed.error) };
  },
  issuesAtSending: () => [],
  statuses: ACME_STATUSES,
  createAdapter: (endpoint) => new AcmeAdapter(endpoint),
  webhook: null,
  emulator: { defaultPort: 4030, start: startAcmeEmulator },
};
