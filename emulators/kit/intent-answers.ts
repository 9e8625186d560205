import type { EmulatorStats } from './emulator.ts';
import { jsonResponse, type EmulatorResponse } from './emulator-exchange.ts';
import type { IntentStore } from './intent-store.ts';

/** A create that minted `intent`: kept, counted, and answered 201 with the intent, as providers do. */
export function createdAnswer<Intent extends { readonly id: string }>(
  intents: IntentStore<Intent>,
  stats: EmulatorStats,
  intent: Intent,
): EmulatorResponse {
  intents.add(intent);
  stats.createRequests += 1;
  stats.intentsCreated += 1;
  return jsonResponse(201, intent);
}

/** An authorised read of one intent: 200 with it, or the provider's own "not found" answer. */
export function readAnswer<Intent extends { readonly id: string }>(
  intents: IntentStore<Intent>,
  stats: EmulatorStats,
  id: string | undefined,
  notFound: EmulatorResponse,
): EmulatorResponse {
  stats.readRequests += 1;
  const intent = id === undefined ? undefined : intents.get(id);
  return intent === undefined ? notFound : jsonResponse(200, intent);
}
