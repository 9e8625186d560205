import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GatewaySetup, StartedGateway } from './gateway-setup.ts';
import type { SubgraphFetch } from './subgraph-fetches.ts';

const ignore = () => undefined;
const quietLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** @apollo/gateway in an Apollo Server on 127.0.0.1, routing with a supergraph composed beforehand. */
export async function startApolloGateway(setup: GatewaySetup, supergraphSdl: string): Promise<StartedGateway> {
  const headersByName = new Map(setup.subgraphs.map(({ name, headers }) => [name, headers]));
  const inFlight = new WeakMap<object, SubgraphFetch>();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quietLogger,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          for (const [header, value] of Object.entries(headersByName.get(name) ?? {})) {
            request.http?.headers.set(header, value);
          }
          const fetch = setup.fetches.record(name, request.query ?? '', request.variables);
          // Paired with its answer below: the gateway copies the request between the two hooks
          // but keeps its `http` object.
          if (request.http !== undefined) inFlight.set(request.http, fetch);
        },
        didReceiveResponse({ request, response }) {
          const fetch = request.http === undefined ? undefined : inFlight.get(request.http);
          if (fetch !== undefined) fetch.response = structuredClone(response);
          return response;
        },
      }),
  });
  // A production-like router: no stack traces in answers.
  const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
