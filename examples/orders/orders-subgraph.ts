import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export interface Order {
  readonly id: string;
  readonly label: string;
  /** A payments subgraph id such as "zopay:pi_..."; null when the order has none. */
  readonly paymentIntentId: string | null;
}

export interface OrdersSubgraph {
  readonly url: string;
  stop(): Promise<void>;
}

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/**
 * The example consumer: a subgraph that owns orders and holds references to payment intents,
 * returning only `{ id }` for them and letting the router fetch the rest from payments.
 */
export async function startOrdersSubgraph(orders: readonly Order[], port = 0): Promise<OrdersSubgraph> {
  const reference = (order: Order) => (order.paymentIntentId ? { id: order.paymentIntentId } : null);
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Query: {
          orders: () => orders,
          order: (_: unknown, { id }: { id: string }) => orders.find((order) => order.id === id) ?? null,
        },
        Order: {
          paymentIntent: reference,
          __resolveReference: ({ id }: { id: string }) => orders.find((order) => order.id === id) ?? null,
        },
      },
    },
  ]);
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
