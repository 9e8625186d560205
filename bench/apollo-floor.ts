// The floor under the subgraph (BENCHMARKS.md): Apollo Server on node:http, through the subgraph's own
// translation of a request (src/http/graphql-http-handler.ts), with the same Apollo options, and
// nothing of the subgraph else: no store, no log line, no metric, no federation. `paymentIntent`
// answers a constant (what GraphQL over HTTP costs alone); `providerIntent` makes the bare proxy's one
// GET through undici (what a read that asks the provider cannot cost less than).
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { handleGraphQLRequest } from '../src/http/graphql-http-handler.ts';

const providerBaseUrl = new URL(process.env.PROVIDER_BASE_URL!);
const apiKey = process.env.PROVIDER_API_KEY!;
const pool = new Pool(providerBaseUrl.origin, { connections: 64 });

const typeDefs = `#graphql
  type Query {
    paymentIntent(id: ID!): PaymentIntent
    providerIntent(id: ID!): PaymentIntent
  }
  type PaymentIntent {
    id: ID!
    status: String!
  }
`;

const resolvers = {
  Query: {
    paymentIntent: (_: unknown, { id }: { id: string }) => ({ id, status: 'REQUIRES_PAYMENT_INSTRUMENT' }),
    providerIntent: async (_: unknown, { id }: { id: string }) => {
      const answer = await pool.request({
        path: `${providerBaseUrl.pathname}/payment-intents/${encodeURIComponent(id)}`,
        method: 'GET',
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      });
      const intent = (await answer.body.json()) as Record<string, unknown>;
      return { id: `zopay:${String(intent.id)}`, status: intent.status };
    },
  },
};

const apollo = new ApolloServer({
  typeDefs,
  resolvers,
  csrfPrevention: true,
  stopOnTerminationSignals: false,
  plugins: [
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginLandingPageDisabled(),
  ],
});
await apollo.start();

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  void handleGraphQLRequest(apollo, () => Promise.resolve({}), request, response, url, 1024 * 1024);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'apollo floor listening', port: (server.address() as { port: number }).port }));
});
process.once('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))));
