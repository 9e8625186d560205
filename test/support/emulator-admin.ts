import { randomUUID } from 'node:crypto';
import type { EmulatorOptions, Fault, StartedEmulator } from '../../emulators/kit/emulator.ts';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { call, postJson, type HttpAnswer } from './http.ts';
import { useStoppedAfterEach } from './lifecycle.ts';

// Talking to an emulator directly, not through the subgraph: its provider API (a create behind
// the subgraph's back, a read) and its admin routes (/__emulator/... at its origin).

/** One emulator as tests reach it directly. */
export interface EmulatorApi {
  /** Lower case, as the admin health route names it. */
  readonly provider: 'zopay' | 'ziina';
  readonly start: (options?: EmulatorOptions) => Promise<StartedEmulator>;
  /** The same start function by module and name, for a child process to import. */
  readonly startModule: { readonly url: string; readonly name: string };
  /**
   * A create through the provider API: valid and authenticated (a fresh Idempotency-Key at Zopay),
   * unless `body` or `headers` (then exactly those) say otherwise.
   */
  readonly create: (
    emulator: StartedEmulator,
    request?: { readonly body?: unknown; readonly headers?: Record<string, string> },
  ) => Promise<HttpAnswer>;
  readonly intentUrl: (emulator: StartedEmulator, providerId: string) => string;
  /** The provider-style body an injected fault answers when it gives only a status. */
  readonly faultBody: (status: number, reason: string) => unknown;
}

/** The Authorization header both providers expect. */
export function bearer(emulator: StartedEmulator): Record<string, string> {
  return { authorization: `Bearer ${emulator.apiKey}` };
}

export const ZOPAY_API: EmulatorApi = {
  provider: 'zopay',
  start: (options) => startZopayEmulator(options),
  startModule: {
    url: new URL('../../emulators/zopay/zopay-emulator.ts', import.meta.url).href,
    name: 'startZopayEmulator',
  },
  create: (emulator, { body = { amount: '3.00', currencies: ['USDT'] }, headers } = {}) =>
    postJson(
      `${emulator.baseUrl}/payment-intents`,
      body,
      headers ?? { ...bearer(emulator), 'idempotency-key': randomUUID() },
    ),
  intentUrl: (emulator, providerId) => `${emulator.baseUrl}/payment-intents/${providerId}`,
  faultBody: (_status, reason) => ({ detail: reason }),
};

export const ZIINA_API: EmulatorApi = {
  provider: 'ziina',
  start: (options) => startZiinaEmulator(options),
  startModule: {
    url: new URL('../../emulators/ziina/ziina-emulator.ts', import.meta.url).href,
    name: 'startZiinaEmulator',
  },
  create: (emulator, { body = { amount: 400, currency_code: 'AED' }, headers } = {}) =>
    postJson(`${emulator.baseUrl}/payment_intent`, body, headers ?? bearer(emulator)),
  intentUrl: (emulator, providerId) => `${emulator.baseUrl}/payment_intent/${providerId}`,
  faultBody: (status, reason) => ({ message: reason, statusCode: status }),
};

export const EMULATOR_APIS: readonly EmulatorApi[] = [ZOPAY_API, ZIINA_API];

/** For tests that each start their own emulators: `start(api, options)` starts one, closed after its test. */
export function useEmulatorsPerTest(): (api: EmulatorApi, options?: EmulatorOptions) => Promise<StartedEmulator> {
  const closeAfterTest = useStoppedAfterEach((emulator: StartedEmulator) => emulator.close());
  return (api, options) => closeAfterTest(api.start(options));
}

/** An authenticated read of one intent through the provider API. */
export function readAtEmulator(api: EmulatorApi, emulator: StartedEmulator, providerId: string): Promise<HttpAnswer> {
  return call(api.intentUrl(emulator, providerId), { headers: bearer(emulator) });
}

/**
 * Creates an intent at an emulator directly, behind the subgraph's back: an intent that exists
 * at the provider but not in the subgraph's store, so a read of it must ask the provider.
 * Returns its global id.
 */
export async function createBehindTheSubgraph(provider: 'ZOPAY' | 'ZIINA', emulator: StartedEmulator): Promise<string> {
  const answer = await (provider === 'ZOPAY' ? ZOPAY_API : ZIINA_API).create(emulator);
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`direct create answered ${answer.status}`);
  return `${provider.toLowerCase()}:${answer.json.id}`;
}

/** The URL of an admin route of the emulator whose (base) URL this is, e.g. `emulatorAdminUrl(url, 'faults')`. */
export function emulatorAdminUrl(emulatorUrl: string, route: string): string {
  return `${new URL(emulatorUrl).origin}/__emulator/${route}`;
}

/** Every intent the emulator holds, in the provider's wire shape (its admin route: not a provider read). */
export async function emulatorIntents(emulatorUrl: string): Promise<Record<string, unknown>[]> {
  const answer = await call(emulatorAdminUrl(emulatorUrl, 'payment-intents'));
  if (answer.status !== 200) throw new Error(`the emulator listed its intents with HTTP ${answer.status}`);
  return answer.json as Record<string, unknown>[];
}

/** An intent as the emulator holds it, in the provider's wire shape. */
export async function emulatorWireIntent(emulatorUrl: string, providerId: string): Promise<Record<string, unknown>> {
  const intent = (await emulatorIntents(emulatorUrl)).find((candidate) => candidate.id === providerId);
  if (intent === undefined) throw new Error(`the emulator has no intent ${providerId}`);
  return intent;
}

/** Queues a fault through the admin route, for an emulator in another process. */
export async function queueFault(emulatorUrl: string, fault: Fault): Promise<void> {
  const answer = await postJson(emulatorAdminUrl(emulatorUrl, 'faults'), fault);
  if (answer.status !== 200) throw new Error(`the emulator refused the fault with HTTP ${answer.status}`);
}

/** The provider's own id in a global id such as `zopay:pi_123`. */
export function providerIdOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
