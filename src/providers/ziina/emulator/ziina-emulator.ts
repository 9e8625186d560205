import { randomBytes } from 'node:crypto';
import { hasBearerToken } from '../../../emulators/bearer-auth.ts';
import type { EmulatorOptions, EmulatorStats, StartedEmulator } from '../../../emulators/emulator.ts';
import { decodePathSegment, jsonResponse, type EmulatorRequest, type EmulatorResponse, type RouteContext } from '../../../emulators/emulator-exchange.ts';
import { IntentStore } from '../../../emulators/intent-store.ts';
import { startEmulator } from '../../../emulators/start-emulator.ts';
import { badRequest, businessError, nestErrorBody, routeNotFound } from './nestjs-errors.ts';
import { checkTransfer } from './ziina-business-rules.ts';
import { validateCreateRequest } from './ziina-create-request.ts';
import { mintPaymentIntent, withStatus, type ZiinaPaymentIntent } from './ziina-payment-intent.ts';

/** Ziina API (providers.md): POST /payment_intent, GET /payment_intent/:id. */
export type ZiinaEmulator = StartedEmulator;

const BASE_PATH = '/api';
const PAYMENT_INTENT_PATH = `${BASE_PATH}/payment_intent`;

const UNAUTHORIZED = jsonResponse(401, nestErrorBody(401));
// providers.md: an unknown id is a 400, not a 404; a malformed id is just as unknown.
const NOT_FOUND = businessError('PAYMENT_INTENT_NOT_FOUND', 'Payment intent not found');

export async function startZiinaEmulator(options: EmulatorOptions = {}): Promise<ZiinaEmulator> {
  const apiKey = options.apiKey ?? randomBytes(32).toString('base64url');
  const now = options.now ?? Date.now;
  const stats: EmulatorStats = { createRequests: 0, intentsCreated: 0, readRequests: 0 };
  const intents = new IntentStore<ZiinaPaymentIntent>(withStatus);

  const create = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    if (!hasBearerToken(request, apiKey)) {
      return UNAUTHORIZED;
    }
    await context.injectedDelay();
    let body: unknown;
    try {
      body = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
    } catch (error) {
      // Express's JSON parser refuses the body before the ValidationPipe sees it: a single message.
      return badRequest((error as SyntaxError).message);
    }
    const validated = validateCreateRequest(body, now());
    if (!validated.valid) {
      return badRequest(validated.messages);
    }
    const violation = checkTransfer(validated.request.amount, validated.request.currency_code);
    if (violation !== undefined) {
      return businessError(violation.code, violation.message);
    }
    const intent = mintPaymentIntent(validated.request, { apiKey, counter: intents.size + 1, nowMs: now() });
    intents.add(intent);
    stats.createRequests += 1;
    stats.intentsCreated += 1;
    return jsonResponse(201, intent);
  };

  const get = (request: EmulatorRequest, id: string | undefined): EmulatorResponse => {
    if (!hasBearerToken(request, apiKey)) {
      return UNAUTHORIZED;
    }
    stats.readRequests += 1;
    const intent = id === undefined ? undefined : intents.get(id);
    return intent === undefined ? NOT_FOUND : jsonResponse(200, intent);
  };

  const route = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    if (request.method === 'POST' && request.path === PAYMENT_INTENT_PATH) {
      return create(request, context);
    }
    const idSegment = request.path.startsWith(`${PAYMENT_INTENT_PATH}/`) ? request.path.slice(PAYMENT_INTENT_PATH.length + 1) : '';
    if (request.method === 'GET' && idSegment !== '' && !idSegment.includes('/')) {
      return get(request, decodePathSegment(idSegment));
    }
    // NestJS matches routes before guards run: an unknown route is a 404 even without a key.
    return routeNotFound(request.method, request.path);
  };

  return startEmulator(
    { provider: 'ziina', basePath: BASE_PATH, apiKey, stats, intents, route, errorBody: nestErrorBody },
    options.port,
  );
}
