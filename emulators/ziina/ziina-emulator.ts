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
import { WebhookSender, type WebhookDeliveries, type WebhookDeliveryOptions } from '../kit/webhook-sender.ts';
import { badRequest, businessError, nestErrorBody, parseExpressJson, routeNotFound } from './nestjs-errors.ts';
import { checkTransfer } from './ziina-business-rules.ts';
import { validateCreateRequest } from './create-intent-body.ts';
import { ziinaStateFormat, type ZiinaStateChange } from './ziina-emulator-state.ts';
import { mintPaymentIntent, withStatus, type ZiinaPaymentIntent } from './ziina-payment-intent.ts';
import {
  sendStatusUpdated,
  validateWebhookRegistration,
  ZIINA_WEBHOOK_RETRIES,
  type ZiinaWebhookRegistration,
} from './ziina-webhooks.ts';

export interface ZiinaEmulatorOptions extends EmulatorOptions {
  /** Timeout and backoff of webhook attempts; tests shorten them. */
  webhookDelivery?: WebhookDeliveryOptions;
}

/** Ziina API (docs/providers/ziina.md): POST /payment_intent, GET /payment_intent/:id, POST|DELETE /webhook. */
export interface ZiinaEmulator extends StartedEmulator {
  /**
   * `payment_intent.status.updated` events sent to the registered webhook. Every status set sends
   * one, even to the same status: a way to exercise a receiver's handling of duplicates.
   */
  readonly webhooks: WebhookDeliveries;
}

const BASE_PATH = '/api';
const PAYMENT_INTENT_PATH = `${BASE_PATH}/payment_intent`;
const WEBHOOK_PATH = `${BASE_PATH}/webhook`;

const UNAUTHORIZED = jsonResponse(401, nestErrorBody(401));
// Ziina: an unknown id is a 400, not a 404; a malformed id is just as unknown.
const NOT_FOUND = businessError('PAYMENT_INTENT_NOT_FOUND', 'Payment intent not found');
// Ziina does not document the answer; a plain acknowledgement that echoes no secret.
const WEBHOOK_UPDATED = jsonResponse(200, { success: true });

export async function startZiinaEmulator(options: ZiinaEmulatorOptions = {}): Promise<ZiinaEmulator> {
  const stateFile = openStateFile(options.stateFile, ziinaStateFormat);
  const { saved } = stateFile;
  const apiKey = options.apiKey ?? saved?.apiKey ?? randomBytes(32).toString('base64url');
  const now = options.now ?? Date.now;
  const stats: EmulatorStats = { createRequests: 0, intentsCreated: 0, readRequests: 0 };
  let webhook: ZiinaWebhookRegistration | null = saved?.webhook ?? null;
  const webhooks = new WebhookSender(ZIINA_WEBHOOK_RETRIES, options.webhookDelivery);
  const snapshot = () => ({ apiKey, intents: intents.list(), webhook });
  const saveChange = (change: ZiinaStateChange) => stateFile.record(change, snapshot);
  const intents = new IntentStore<ZiinaPaymentIntent>({
    withStatus,
    restored: saved?.intents,
    onChange: (intent) => saveChange({ intent }),
    onStatusChange: (intent) => {
      if (webhook !== null) {
        sendStatusUpdated(webhooks, webhook, intent);
      }
    },
  });

  const create = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    if (!hasBearerToken(request, apiKey)) {
      return UNAUTHORIZED;
    }
    await context.injectedDelay();
    const body = parseExpressJson(request.body);
    if ('error' in body) {
      return body.error;
    }
    const validated = validateCreateRequest(body.json, now());
    if (!validated.valid) {
      return badRequest(validated.messages);
    }
    const violation = checkTransfer(validated.request.amount, validated.request.currency_code);
    if (violation !== undefined) {
      return businessError(violation.code, violation.message);
    }
    return createdAnswer(
      intents,
      stats,
      mintPaymentIntent(validated.request, { apiKey, counter: intents.size + 1, nowMs: now() }),
    );
  };

  const get = (request: EmulatorRequest, id: string | undefined): EmulatorResponse =>
    hasBearerToken(request, apiKey) ? readAnswer(intents, stats, id, NOT_FOUND) : UNAUTHORIZED;

  /** POST registers (replacing any earlier URL: one per account), DELETE unregisters. */
  const updateWebhook = (request: EmulatorRequest): EmulatorResponse => {
    if (!hasBearerToken(request, apiKey)) {
      return UNAUTHORIZED;
    }
    if (request.method === 'DELETE') {
      webhook = null;
    } else {
      const body = parseExpressJson(request.body);
      if ('error' in body) {
        return body.error;
      }
      const validated = validateWebhookRegistration(body.json);
      if (!validated.valid) {
        return badRequest(validated.messages);
      }
      webhook = validated.registration;
    }
    saveChange({ webhook });
    return WEBHOOK_UPDATED;
  };

  const route = async (request: EmulatorRequest, context: RouteContext): Promise<EmulatorResponse> => {
    if (request.method === 'POST' && request.path === PAYMENT_INTENT_PATH) {
      return create(request, context);
    }
    if ((request.method === 'POST' || request.method === 'DELETE') && request.path === WEBHOOK_PATH) {
      return updateWebhook(request);
    }
    const idSegment = request.path.startsWith(`${PAYMENT_INTENT_PATH}/`)
      ? request.path.slice(PAYMENT_INTENT_PATH.length + 1)
      : '';
    if (request.method === 'GET' && idSegment !== '' && !idSegment.includes('/')) {
      return get(request, decodePathSegment(idSegment));
    }
    // NestJS matches routes before guards run: an unknown route is a 404 even without a key.
    return routeNotFound(request.method, request.path);
  };

  const started = await startEmulator(
    { provider: 'ziina', basePath: BASE_PATH, apiKey, stats, intents, route, errorBody: nestErrorBody },
    options.port,
  );
  return {
    ...started,
    webhooks,
    close: async () => {
      // A receiver that never answers must not hold the emulator open.
      webhooks.close();
      await started.close();
      stateFile.compact(snapshot);
    },
  };
}
