import { randomBytes } from 'node:crypto';
import { hasBearerToken } from '../kit/bearer-auth.ts';
import type { EmulatorOptions, EmulatorStats, StartedEmulator } from '../kit/emulator.ts';
import {
  decodePathSegment,
  jsonResponse,
  type EmulatorRequest,
  type EmulatorResponse,
  type RouteContext,
} from '../kit/emulator-exchange.ts';
import { createdAnswer, readAnswer } from '../kit/intent-answers.ts';
import { IntentStore } from '../kit/intent-store.ts';
import { startEmulator } from '../kit/start-emulator.ts';
import { openStateFile } from '../kit/state-file.ts';
import { parseExactJson } from '../../src/lib/exact-json.ts';
import { coded, fastApiErrorBody, validationFailed } from './fastapi-errors.ts';
import { validateCreateRequest } from './create-intent-body.ts';
import { zopayStateFormat, type ZopayStateChange } from './zopay-emulator-state.ts';
import { IdempotentReplayStore, readIdempotencyKey } from './idempotent-replay-store.ts';
import { mintPaymentIntent, type ZopayPaymentIntent } from './zopay-payment-intent.ts';

/** Zopay Connect sandbox (docs/providers/zopay.md): POST /payment-intents, GET /payment-intents/:id. */
export type ZopayEmulator = StartedEmulator;

const BASE_PATH = '/connect/v1';
const PAYMENT_INTENTS_PATH = `${BASE_PATH}/payment-intents`;

const UNAUTHORIZED = jsonResponse(401, { detail: 'Invalid or missing API key' });
const NOT_FOUND = coded(404, 'not_found', 'Payment intent not found');

export async function startZopayEmulator(options: EmulatorOptions = {}): Promise<ZopayEmulator> {
  const stateFile = openStateFile(options.stateFile, zopayStateFormat);
  const { saved } = stateFile;
  // A sandbox key: the real API routes sk_test_ keys to a sandbox with deterministic fake addresses
  // (docs/providers/zopay.md).
  const apiKey = options.apiKey ?? saved?.apiKey ?? `sk_test_${randomBytes(24).toString('hex')}`;
  const now = options.now ?? Date.now;
  const stats: EmulatorStats = { createRequests: 0, intentsCreated: 0, readRequests: 0 };
  const snapshot = () => ({ apiKey, intents: intents.list(), idempotency: idempotency.records() });
  const saveChange = (change: ZopayStateChange) => stateFile.record(change, snapshot);
  const intents = new IntentStore<ZopayPaymentIntent>({
    withStatus: (intent, status) => ({ ...intent, status }),
    restored: saved?.intents,
    onChange: (intent) => saveChange({ intent }),
  });
  const idempotency = new IdempotentReplayStore(now, {
    restored: saved?.idempotency,
    onStored: (replay) => saveChange({ replay }),
  });

  const create = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    // As documented: the Idempotency-Key header is parsed before auth.
    const idempotencyKey = readIdempotencyKey(request.headers);
    if ('error' in idempotencyKey) {
      return coded(400, idempotencyKey.error, idempotencyKey.message);
    }
    if (!hasBearerToken(request, apiKey)) {
      return UNAUTHORIZED;
    }
    const claim = idempotency.claim(apiKey, idempotencyKey.key, request.body);
    switch (claim.outcome) {
      case 'replay':
        stats.createRequests += 1;
        return { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true' } };
      case 'conflict':
        return coded(409, 'idempotency_conflict', 'Idempotency-Key was already used with a different request body');
      case 'in_use':
        return coded(409, 'idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed');
      case 'claimed':
        try {
          // The key is held while an injected delay runs, as it would be during a slow real request.
          await context.injectedDelay();
          const response = mintFromBody(request.body);
          // 422s are stored too: the store keeps whatever the handler answered.
          claim.complete(response);
          return response;
        } finally {
          claim.release();
        }
    }
  };

  const mintFromBody = (body: Buffer): EmulatorResponse => {
    const parsed = parseBody(body);
    if (parsed === INVALID_JSON) {
      return validationFailed([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
    }
    const validated = validateCreateRequest(parsed);
    if (!validated.valid) {
      return validationFailed(validated.errors);
    }
    return createdAnswer(
      intents,
      stats,
      mintPaymentIntent(validated.request, { apiKey, counter: intents.size + 1, nowMs: now() }),
    );
  };

  const get = (request: EmulatorRequest, id: string | undefined): EmulatorResponse =>
    hasBearerToken(request, apiKey) ? readAnswer(intents, stats, id, NOT_FOUND) : UNAUTHORIZED;

  const route = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    if (request.path === PAYMENT_INTENTS_PATH) {
      return request.method === 'POST' ? create(request, context) : jsonResponse(405, fastApiErrorBody(405));
    }
    const idSegment = request.path.startsWith(`${PAYMENT_INTENTS_PATH}/`)
      ? request.path.slice(PAYMENT_INTENTS_PATH.length + 1)
      : undefined;
    if (idSegment !== undefined && idSegment !== '' && !idSegment.includes('/')) {
      return request.method === 'GET'
        ? get(request, decodePathSegment(idSegment))
        : jsonResponse(405, fastApiErrorBody(405));
    }
    return jsonResponse(404, fastApiErrorBody(404));
  };

  const started = await startEmulator(
    { provider: 'zopay', basePath: BASE_PATH, apiKey, stats, intents, route, errorBody: fastApiErrorBody },
    options.port,
  );
  return {
    ...started,
    close: async () => {
      await started.close();
      stateFile.compact(snapshot);
    },
  };
}

const INVALID_JSON = Symbol('invalid JSON');

/** undefined for an empty body (FastAPI: body "Field required"). */
function parseBody(body: Buffer): unknown {
  if (body.length === 0) {
    return undefined;
  }
  try {
    return parseExactJson(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return INVALID_JSON;
  }
}
