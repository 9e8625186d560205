import { randomUUID } from 'node:crypto';
import type { EmulatorOptions, EmulatorStats, StartedEmulator } from '../../emulators/kit/emulator.ts';
import { hasBearerToken } from '../../emulators/kit/bearer-auth.ts';
import { decodePathSegment, jsonResponse, type EmulatorRequest } from '../../emulators/kit/emulator-exchange.ts';
import { IntentStore } from '../../emulators/kit/intent-store.ts';
import { startEmulator } from '../../emulators/kit/start-emulator.ts';

/** An intent as the imaginary Acme Pay answers it. */
export interface AcmeIntent {
  readonly id: string;
  readonly state: string;
  readonly amount: string;
  readonly currency: string;
  readonly reference: string;
}

const BASE_PATH = '/v1';
const INTENTS_PATH = `${BASE_PATH}/intents`;

/**
 * A tiny emulator of Acme Pay, an imaginary provider that exists only to prove that a provider is one
 * folder: POST /v1/intents (Bearer key, Idempotency-Key replayed), GET /v1/intents/{id}. Built on the
 * emulators' shared kit, as every emulator is, so it gets faults and admin routes for free.
 */
export async function startAcmeEmulator(options: EmulatorOptions = {}): Promise<StartedEmulator> {
  const apiKey = options.apiKey ?? `acme_${randomUUID()}`;
  const stats: EmulatorStats = { createRequests: 0, intentsCreated: 0, readRequests: 0 };
  const intents = new IntentStore<AcmeIntent>({ withStatus: (intent, state) => ({ ...intent, state }) });
  const byIdempotencyKey = new Map<string, AcmeIntent>();

  const create = (request: EmulatorRequest) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return jsonResponse(400, { error: 'idempotency_key_required' });
    stats.createRequests += 1;
    const replayed = byIdempotencyKey.get(key);
    if (replayed !== undefined) return jsonResponse(200, replayed);
    const { amount, currency } = JSON.parse(request.body.toString('utf8')) as { amount: string; currency: string };
    const intent: AcmeIntent = {
      id: `acme_${randomUUID()}`,
      state: 'open',
      amount,
      currency,
      reference: `REF-${intents.size + 1}`,
    };
    intents.add(intent);
    byIdempotencyKey.set(key, intent);
    stats.intentsCreated += 1;
    return jsonResponse(201, intent);
  };

  const get = (id: string | undefined) => {
    stats.readRequests += 1;
    const intent = id === undefined ? undefined : intents.get(id);
    return intent === undefined ? jsonResponse(404, { error: 'not_found' }) : jsonResponse(200, intent);
  };

  return startEmulator(
    {
      provider: 'acme',
      basePath: BASE_PATH,
      apiKey,
      stats,
      intents,
      errorBody: (status) => ({ error: `http_${status}` }),
      route: (request) => {
        if (!hasBearerToken(request, apiKey)) return Promise.resolve(jsonResponse(401, { error: 'unauthorized' }));
        if (request.method === 'POST' && request.path === INTENTS_PATH) return Promise.resolve(create(request));
        if (request.method === 'GET' && request.path.startsWith(`${INTENTS_PATH}/`)) {
          return Promise.resolve(get(decodePathSegment(request.path.slice(INTENTS_PATH.length + 1))));
        }
        return Promise.resolve(jsonResponse(404, { error: 'no_route' }));
      },
    },
    options.port,
  );
}
