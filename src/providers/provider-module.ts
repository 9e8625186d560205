import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorOptions, StartedEmulator } from '../../emulators/kit/emulator.ts';
import type { ProviderCredentials, ProviderEnvironment } from '../config/provider-environment.ts';
import type { ProviderCreateRequest } from '../payments/create-payment-intent-command.ts';
import type { PaymentIntent, PaymentIntentStatus } from '../payments/payment-intent.ts';
import type { ProviderPort } from '../payments/provider-port.ts';
import type { Validation, ValidationIssue } from '../payments/validation/validation.ts';
import type { ProviderEndpoint } from './provider-endpoint.ts';
import type { ProviderIdentity } from './provider-errors.ts';

/**
 * Everything the subgraph knows of one provider, implemented once in src/providers/<name>/ and
 * listed in registered-providers.ts. Configuration, start-up, the use cases, the resolvers, the HTTP
 * router and the emulators' launcher all iterate over the registered modules: adding a provider is
 * a folder, an entry in that list, and its types in the SDL (docs/architecture.md, "Adding a provider").
 */
export interface ProviderModule<
  Request extends ProviderCreateRequest = ProviderCreateRequest,
> extends ProviderIdentity {
  readonly graphql: ProviderGraphQLNames;
  /** Its environment variables: API key, base URL and, with webhooks, their secret. */
  readonly environment: ProviderEnvironment;
  /** Its branch of the create input into the request its adapter sends; issue paths relative to the branch. */
  validateInput(input: Readonly<Record<string, unknown>>): Validation<Request>;
  /** Rules of that branch that depend on the moment a create is sent (ProviderPort.issuesAtSending). */
  issuesAtSending(input: Readonly<Record<string, unknown>>, nowMs: number): ValidationIssue[];
  /** Its raw statuses and what each means; any other status is UNKNOWN, which is never terminal. */
  readonly statuses: Readonly<Record<string, PaymentIntentStatus>>;
  /** Its API, bound to an endpoint (base URL, key, the shared HTTP client). */
  createAdapter(endpoint: ProviderEndpoint): ProviderAdapter<Request>;
  /** Null when the provider sends no webhooks. */
  readonly webhook: ProviderWebhook | null;
  readonly emulator: ProviderEmulator;
}

/** The provider's API in domain terms: the port of the use cases, less what the module itself brings. */
export type ProviderAdapter<Request extends ProviderCreateRequest> = Omit<
  ProviderPort<Request>,
  'id' | 'validateInput' | 'issuesAtSending'
>;

/** Where the provider appears in the GraphQL schema (schema/payments.graphql). */
export interface ProviderGraphQLNames {
  /** Its branch of PaymentIntentProviderInput, e.g. "zopay". */
  readonly inputField: string;
  /** Its member of the PaymentIntentDetails union, e.g. "ZopayPaymentIntentDetails". */
  readonly detailsType: string;
}

/** What a webhook delivery says, once its signature has been checked. */
export type WebhookEvent =
  | { readonly kind: 'intent_reported'; readonly event: string; readonly intent: PaymentIntent }
  | { readonly kind: 'ignored'; readonly event: string }
  | { readonly kind: 'malformed'; readonly problem: string };

/** A provider's webhooks, served at `path` (src/webhooks/webhook-endpoint.ts). */
export interface ProviderWebhook {
  /** e.g. "/webhooks/ziina". */
  readonly path: string;
  /** True when the delivery carries the provider's signature of exactly these bytes. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): boolean;
  parse(rawBody: Buffer): WebhookEvent;
  /**
   * Points the provider's webhooks at `url`, signed with `secret`. The subgraph does it itself with
   * the provider's built-in emulator; with the real provider it is an operator's one-time step.
   */
  register(credentials: ProviderCredentials, url: string, secret: string): Promise<void>;
}

/** The provider's built-in emulator, used when its API key is not configured, and by `npm run emulators`. */
export interface ProviderEmulator {
  /** Its port under `npm run emulators`. */
  readonly defaultPort: number;
  start(options: EmulatorOptions): Promise<StartedEmulator>;
}
