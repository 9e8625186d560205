import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import type { GatewaySetup, GatewaySubgraph, StartedGateway } from './gateway-setup.ts';

/**
 * Hive Gateway (The Guild's router) as a library: its runtime is a request listener, served here
 * by node:http on 127.0.0.1. Its defaults are production's (errors it does not recognise as
 * deliberate are masked). `supergraphSdl` null: the gateway composes the supergraph itself from
 * each subgraph's `_service { sdl }`, with The Guild's composition (its `dev` supergraph source).
 *
 * Where WebSockets fit: per-subgraph transport settings live in `transportEntries` (subscriptions
 * over graphql-ws to a subgraph go in its entry's `options.subscriptions`; the headers a WebSocket
 * upgrade carries are set there too), and a graphql-ws server for clients attaches to this node:http
 * server on the gateway's own path, with `getGraphQLWSOptions` from the gateway package.
 * https://the-guild.dev/graphql/hive/docs/gateway/subscriptions
 */
export async function startHiveGateway(setup: GatewaySetup, supergraphSdl: string | null): Promise<StartedGateway> {
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl ?? {
      type: 'dev',
      services: setup.subgraphs.map(({ name, url }) => ({ name, url })),
    },
    logging: false,
    // What router.yaml's `headers.subgraphs.<name>.request.insert` is to Apollo Router, and its
    // `subscription.mode.passthrough`: subscriptions over graphql-ws, the headers on the upgrade.
    transportEntries: Object.fromEntries(
      setup.subgraphs.map(({ name, headers }) => [
        name,
        {
          headers: Object.entries(headers),
          options: { subscriptions: { kind: 'ws', headers: Object.entries(headers) } },
        },
      ]),
    ),
    plugins: () => [subgraphFetchHooks(setup)],
  });
  const server = createServer(gateway.requestListener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${gateway.graphqlEndpoint}`,
    async stop() {
      // Stop listening first, then release the gateway's subgraph connections and schema poller.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await closed;
      await gateway.dispose();
    },
  };
}

/** Records every operation fetch to a subgraph with its answer, and gives schema loading its headers. */
function subgraphFetchHooks(setup: GatewaySetup): GatewayPlugin {
  const byUrl = new Map<string, GatewaySubgraph>(setup.subgraphs.map((subgraph) => [subgraph.url, subgraph]));
  return {
    onFetch(payload) {
      const { url, options } = payload;
      const subgraph = byUrl.get(url);
      if (subgraph === undefined) return;
      if (payload.executionRequest === undefined) {
        // The gateway loading a schema (its own composition asks `_service { sdl }`): a plain POST
        // that transport entries do not reach, yet the payments subgraph answers only its router.
        payload.setOptions({ ...options, headers: { ...options.headers, ...subgraph.headers } });
        return;
      }
      if (typeof options.body !== 'string') throw new Error(`a fetch to ${subgraph.name} without a JSON body`);
      const body = JSON.parse(options.body) as { query: string; variables?: Record<string, unknown> };
      const fetch = setup.fetches.record(subgraph.name, body.query, body.variables);
      return async ({ response }) => {
        fetch.response = (await response.clone().json()) as NonNullable<typeof fetch.response>;
      };
    },
  };
}
