import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PATH_PREFIX, handleAdminRequest } from './admin-routes.ts';
import type { EmulatorStats, StartedEmulator } from './emulator.ts';
import { jsonResponse, type EmulatorRequest, type EmulatorRoute } from './emulator-exchange.ts';
import { applyFault, DROP_CONNECTION } from './fault-injection.ts';
import { InjectedFaultQueue } from './fault-queue.ts';
import { readRequestBody, RequestBodyTooLargeError } from '../../src/lib/http/request-body.ts';
import { writeJsonText } from '../../src/lib/http/json-response.ts';
import { listenOnLoopback } from './loopback-server.ts';
import type { IntentStore } from './intent-store.ts';

/** Generous for a payment intent; keeps a runaway client from filling the test process's memory. */
const MAX_BODY_BYTES = 1024 * 1024;

/** What makes an emulator a given provider; everything else (HTTP, faults, admin) is shared. */
export interface ProviderEmulatorDefinition<Intent extends { readonly id: string }> {
  /** e.g. 'zopay', reported by the health route. */
  readonly provider: string;
  /** Path prefix mirroring the real base URL, e.g. '/connect/v1'. */
  readonly basePath: string;
  readonly apiKey: string;
  readonly stats: EmulatorStats;
  readonly intents: IntentStore<Intent>;
  readonly route: EmulatorRoute;
  /** Error body in the provider's own style, for injected faults and oversized bodies. */
  readonly errorBody: (status: number) => unknown;
}

export async function startEmulator<Intent extends { readonly id: string }>(
  definition: ProviderEmulatorDefinition<Intent>,
  port = 0,
): Promise<StartedEmulator> {
  const faults = new InjectedFaultQueue();
  const closing = new AbortController();

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const url = incoming.url ?? '/';
    let body: Buffer;
    try {
      body = await readRequestBody(incoming, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof RequestBodyTooLargeError)) {
        throw error;
      }
      const tooLarge = jsonResponse(413, definition.errorBody(413));
      writeJsonText(outgoing, tooLarge.status, tooLarge.body, { connection: 'close' });
      return;
    }
    const request: EmulatorRequest = {
      method: incoming.method ?? 'GET',
      path: url.split('?', 1)[0] ?? '/',
      headers: incoming.headers,
      body,
    };
    if (request.path.startsWith(ADMIN_PATH_PREFIX)) {
      const answer = handleAdminRequest(request, {
        provider: definition.provider,
        faults,
        stats: definition.stats,
        intents: definition.intents,
      });
      writeJsonText(outgoing, answer.status, answer.body);
      return;
    }
    // Rejects when close() cuts an injected delay short; the server then drops the connection.
    const outcome = await applyFault({
      fault: faults.take(request.method, url),
      runRoute: (context) => definition.route(request, context),
      providerErrorBody: definition.errorBody,
      signal: closing.signal,
    });
    if (outcome === DROP_CONNECTION) {
      incoming.socket.destroy();
      return;
    }
    writeJsonText(outgoing, outcome.status, outcome.body, outcome.headers);
  };

  const server = await listenOnLoopback(handle, port);
  return {
    baseUrl: `${server.origin}${definition.basePath}`,
    apiKey: definition.apiKey,
    faults,
    stats: definition.stats,
    setStatus: (providerId, status) => definition.intents.setStatus(providerId, status) !== undefined,
    close: async () => {
      closing.abort();
      await server.close();
    },
  };
}
