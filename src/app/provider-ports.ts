import type { Logger } from '../logging/logger.ts';
import type { ProviderPort, ProviderPorts } from '../payments/provider-port.ts';
import type { ProviderHttpClient } from '../providers/http/provider-http-client.ts';
import { ProviderEndpoint } from '../providers/provider-endpoint.ts';
import type { ProviderConnection } from './provider-connections.ts';

/** Each provider's adapter on its own endpoint, with its input rules: what the use cases call. */
export function providerPorts(
  connections: readonly ProviderConnection[],
  http: ProviderHttpClient,
  logger: Logger,
): ProviderPorts {
  const ports = new Map<string, ProviderPort>(
    connections.map(({ module, credentials }) => {
      const provider = { id: module.id, displayName: module.displayName };
      const adapter = module.createAdapter(new ProviderEndpoint({ provider, ...credentials, http, logger }));
      const port: ProviderPort = {
        id: module.id,
        validateInput: (input) => module.validateInput(input),
        issuesAtSending: (input, nowMs) => module.issuesAtSending(input, nowMs),
        resendsCreatesSafely: adapter.resendsCreatesSafely,
        creationMarker: (clientMutationId) => adapter.creationMarker(clientMutationId),
        create: (request, clientMutationId) => adapter.create(request, clientMutationId),
        get: (providerId, stored) => adapter.get(providerId, stored),
      };
      return [module.id, port];
    }),
  );
  return {
    ids: [...ports.keys()],
    port(id) {
      const port = ports.get(id);
      if (port === undefined) throw new Error(`no provider is registered as ${id}`);
      return port;
    },
  };
}
