import { ApolloClient, HttpLink, InMemoryCache, gql, type TypedDocumentNode } from '@apollo/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { uniqueId, ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { createBehindTheSubgraph } from '../support/emulator-admin.ts';
import { PAYMENTS, startFederationHarness, type FederationHarness, type GatewayKind } from '../support/gateway.ts';
import { useStarted } from '../support/lifecycle.ts';
import {
  CREATE_PAYMENT_INTENT,
  GET_PAYMENT_INTENT,
  PAYMENT_INTENT_FIELDS,
  type CreatePayload,
  type UserError,
} from '../support/operations.ts';

// Through two real routers, @apollo/gateway and Hive Gateway, on the supergraph composed from the
// running subgraph's own SDL, with the router secret set on the subgraph (so every answer here
// also proves the router path carries it). Where the routers differ, each one's own behaviour is
// stated in ROUTERS and asserted.

type Path = readonly (string | number)[];

interface RouterBehaviour {
  readonly gateway: GatewayKind;
  /** The ids one `_entities` fetch carries for these (non-null) references, in order. */
  readonly representationIds: (references: readonly string[]) => string[];
  /** `errors` and `extensions` of an answer in which payments answered null for the entity at `path`. */
  readonly nullEntityReport: (path: Path) => { errors?: unknown[]; extensions?: Record<string, unknown> };
  /** Where an error payments raised for the entity at `path` is reported. */
  readonly entityErrorPath: (path: Path) => Path;
}

// An entity payments answered null for (an unknown id) still has the id the consumer holds, and
// every other field null; both routers find PaymentIntent's first non-null field selected after
// `id` (here `status`) null and null the intent, but report it differently
// (docs/decisions/unknown-entity-references.md).
const ROUTERS: readonly RouterBehaviour[] = [
  {
    gateway: 'apollo',
    // Every reference, duplicates included: the subgraph's DataLoader reads each id once.
    representationIds: (references) => [...references],
    // No error: a note in extensions.valueCompletion.
    nullEntityReport: (path) => ({
      extensions: {
        valueCompletion: [
          {
            message: 'Cannot return null for non-nullable field PaymentIntent.status.',
            path: [...path, 'status'],
            extensions: { code: 'INVALID_GRAPHQL' },
          },
        ],
      },
    }),
    entityErrorPath: (path) => path,
  },
  {
    gateway: 'hive',
    // Duplicates collapsed before the fetch, in order of first appearance.
    representationIds: (references) => [...new Set(references)],
    // An error, masked by the gateway as one it did not raise on purpose.
    nullEntityReport: (path) => ({
      errors: [
        {
          message: 'Unexpected error.',
          locations: [expect.any(Object)],
          path: [...path, 'status'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    }),
    // The entity's error is placed on its first field the entity fetch selects.
    entityErrorPath: (path) => [...path, 'status'],
  },
];

const UNKNOWN_ZIINA_ID = 'ziina:00000000-0000-4000-8000-000000000000';

const ORDERS_QUERY = /* GraphQL */ `
  {
    orders {
      id
      label
      paymentIntent {
        id
        status
        amount {
          amount
          currency
        }
        provider
      }
    }
  }
`;

describe.each(ROUTERS)('through $gateway', (router) => {
  const federation = useStarted(
    () => startFederationHarness({ gateway: router.gateway }),
    (harness) => harness.stop(),
  );
  beforeEach(() => {
    federation().orders.splice(0);
    federation().stack.zopay.faults.clear();
    federation().stack.ziina.faults.clear();
  });

  /** Creates an intent through the router and returns its id. */
  async function createThroughGateway(input: object): Promise<string> {
    const answer = await federation().gateway(CREATE_PAYMENT_INTENT, { input });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    const payload = answer.json.data.createPaymentIntent as CreatePayload;
    expect(payload.userErrors).toEqual([]);
    return String(payload.paymentIntent!.id);
  }

  async function createExpectingUserErrors(input: object): Promise<CreatePayload> {
    const answer = await federation().gateway(CREATE_PAYMENT_INTENT, { input });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    const payload = answer.json.data.createPaymentIntent as CreatePayload;
    expect(payload.paymentIntent).toBeNull();
    return payload;
  }

  const providerReads = () => ({
    zopay: federation().stack.zopay.stats.readRequests,
    ziina: federation().stack.ziina.stats.readRequests,
  });

  describe('a frontend on @apollo/client', () => {
    it('creates at both providers, reads each back by id, and the cache normalises intents by id', async () => {
      let networkRequests = 0;
      const countingFetch: typeof fetch = (input, init) => {
        networkRequests += 1;
        return fetch(input, init);
      };
      const client = new ApolloClient({
        link: new HttpLink({ uri: federation().gatewayUrl, fetch: countingFetch }),
        cache: new InMemoryCache({
          possibleTypes: { PaymentIntentDetails: ['ZopayPaymentIntentDetails', 'ZiinaPaymentIntentDetails'] },
          typePolicies: {
            // A cache redirect: `paymentIntent(id)` reads the normalised PaymentIntent:<id> entry.
            Query: {
              fields: {
                paymentIntent: {
                  read: (_existing, { args, toReference }) =>
                    toReference({ __typename: 'PaymentIntent', id: args?.id as string }),
                },
              },
            },
          },
        }),
      });
      const create: TypedDocumentNode<{ createPaymentIntent: CreatePayload }> = gql(CREATE_PAYMENT_INTENT);
      const get: TypedDocumentNode<{ paymentIntent: Record<string, unknown> }> = gql(GET_PAYMENT_INTENT);
      const fragment = gql(PAYMENT_INTENT_FIELDS);

      try {
        const cases = [
          {
            variables: {
              input: zopayCreateInput({ amount: '10.50', currencies: ['USDT'] }, uniqueId('client-zopay')),
            },
            provider: 'ZOPAY',
            prefix: 'zopay:',
            amount: { amount: '10.50', currency: 'USDT' },
          },
          {
            variables: {
              input: ziinaCreateInput({ amountMinor: 1050, currencyCode: 'AED' }, uniqueId('client-ziina')),
            },
            provider: 'ZIINA',
            prefix: 'ziina:',
            amount: { amount: '10.50', currency: 'AED' },
          },
        ];
        for (const { variables, provider, prefix, amount } of cases) {
          const before = networkRequests;
          const created = await client.mutate({ mutation: create, variables });
          expect(networkRequests).toBe(before + 1);
          const payload = created.data!.createPaymentIntent;
          expect(payload.userErrors).toEqual([]);
          const intent = payload.paymentIntent!;
          expect(intent).toMatchObject({
            __typename: 'PaymentIntent',
            provider,
            status: 'REQUIRES_PAYMENT_INSTRUMENT',
            amount: { ...amount },
          });
          const id = String(intent.id);
          expect(id.startsWith(prefix)).toBe(true);

          // Normalised by id: the entry exists under PaymentIntent:<id> right after the mutation...
          const cacheId = client.cache.identify({ __typename: 'PaymentIntent', id });
          expect(cacheId).toBe(`PaymentIntent:${id}`);
          expect((client.cache.extract() as Record<string, Record<string, unknown>>)[cacheId!]).toMatchObject({
            __typename: 'PaymentIntent',
            id,
          });
          expect(client.cache.readFragment({ id: cacheId!, fragment, fragmentName: 'PaymentIntentFields' })).toEqual(
            intent,
          );
          // ...so the query by id is answered from the cache alone, without a network request.
          const fromCache = await client.query({ query: get, variables: { id }, fetchPolicy: 'cache-only' });
          expect(fromCache.data).toEqual({ paymentIntent: intent });
          expect(networkRequests).toBe(before + 1);

          // Read through the router (the payments subgraph asked the provider): the same intent,
          // written back into the same normalised entry.
          const paymentsFetches = paymentsFetchCount(federation());
          const fromNetwork = await client.query({ query: get, variables: { id }, fetchPolicy: 'network-only' });
          expect(networkRequests).toBe(before + 2);
          expect(paymentsFetchCount(federation())).toBe(paymentsFetches + 1);
          expect(fromNetwork.data).toEqual({ paymentIntent: intent });
          const snapshot = client.cache.extract() as Record<string, Record<string, unknown>>;
          expect(snapshot.ROOT_QUERY?.[`paymentIntent({"id":"${id}"})`]).toEqual({ __ref: cacheId });
        }
      } finally {
        client.stop();
      }
    });
  });

  describe('an order list referencing intents (_entities)', () => {
    it('costs one _entities fetch and one provider GET per distinct id, keeping order, duplicates and unknown ids', async () => {
      const a = await createThroughGateway(
        zopayCreateInput({ amount: '10.50', currencies: ['USDT'] }, uniqueId('batch-a')),
      );
      const b = await createThroughGateway(
        ziinaCreateInput({ amountMinor: 2599, currencyCode: 'AED' }, uniqueId('batch-b')),
      );
      const c = await createThroughGateway(
        zopayCreateInput({ amount: '7.25', currencies: ['USDT'] }, uniqueId('batch-c')),
      );
      const references = [a, b, a, UNKNOWN_ZIINA_ID, c, null, a];
      federation().orders.push(...ordersReferencing(references));
      const sent = references.filter((id) => id !== null);
      const distinct = new Set(sent);
      expect(distinct.size).toBe(4);

      const readsBefore = providerReads();
      const since = federation().fetches.length;
      const answer = await federation().gateway(ORDERS_QUERY);

      expect(answer.status).toBe(200);
      // Exactly one _entities request reached payments, carrying the references...
      const entityFetches = federation().entityFetches(PAYMENTS, since);
      expect(entityFetches).toHaveLength(1);
      const representationIds = router.representationIds(sent);
      expect(entityFetches[0]!.representations.map((representation) => representation.id)).toEqual(representationIds);
      // ...and the subgraph asked the providers once per distinct id (the unknown one included).
      expect(providerReads()).toEqual({ zopay: readsBefore.zopay + 2, ziina: readsBefore.ziina + 2 });

      const intentA = {
        id: a,
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        amount: { amount: '10.50', currency: 'USDT' },
        provider: 'ZOPAY',
      };
      const intentB = {
        id: b,
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        amount: { amount: '25.99', currency: 'AED' },
        provider: 'ZIINA',
      };
      const intentC = {
        id: c,
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        amount: { amount: '7.25', currency: 'USDT' },
        provider: 'ZOPAY',
      };
      expect(answer.json.data).toEqual({
        orders: [
          { id: 'order-1', label: 'Order 1', paymentIntent: intentA },
          { id: 'order-2', label: 'Order 2', paymentIntent: intentB },
          { id: 'order-3', label: 'Order 3', paymentIntent: intentA },
          { id: 'order-4', label: 'Order 4', paymentIntent: null },
          { id: 'order-5', label: 'Order 5', paymentIntent: intentC },
          { id: 'order-6', label: 'Order 6', paymentIntent: null },
          { id: 'order-7', label: 'Order 7', paymentIntent: intentA },
        ],
      });
      // The unknown id is a plain null entity from payments, not an error...
      const entities = entityFetches[0]!.response?.data?._entities as unknown[];
      expect(entityFetches[0]!.response?.errors).toBeUndefined();
      expect(entities).toHaveLength(representationIds.length);
      expect(entities[representationIds.indexOf(UNKNOWN_ZIINA_ID)]).toBeNull();
      // ...which each router reports in its own way.
      expect({ errors: answer.json.errors, extensions: answer.json.extensions }).toEqual(
        router.nullEntityReport(['orders', 3, 'paymentIntent']),
      );
    });

    it('sends a non-string id a consumer holds as a string, so a representation from a router always has one', async () => {
      // The orders subgraph resolves the reference to { id: 5 }; ID serialisation makes it "5".
      federation().orders.push(...ordersReferencing([5 as unknown as string]));
      const since = federation().fetches.length;
      const answer = await federation().gateway('{ orders { id paymentIntent { id status } } }');
      expect(answer.status).toBe(200);
      expect(
        federation()
          .entityFetches(PAYMENTS, since)
          .map((fetch) => fetch.representations),
      ).toEqual([[{ __typename: 'PaymentIntent', id: '5' }]]);
      expect(answer.json.data).toEqual({ orders: [{ id: 'order-1', paymentIntent: null }] });
      expect({ errors: answer.json.errors, extensions: answer.json.extensions }).toEqual(
        router.nullEntityReport(['orders', 0, 'paymentIntent']),
      );
    });

    it('answers null for an unknown id asked for directly', async () => {
      const answer = await federation().gateway('{ paymentIntent(id: "' + UNKNOWN_ZIINA_ID + '") { id status } }');
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { paymentIntent: null } });
    });
  });

  describe('failure isolation inside one _entities batch', () => {
    it('nulls only the intent whose provider failed, with a typed PROVIDER_UNAVAILABLE error', async () => {
      // Not stored by the subgraph, so its read must reach Zopay (a stored one would be served).
      const failing = await createBehindTheSubgraph('ZOPAY', federation().stack.zopay);
      const healthyZiina = await createThroughGateway(
        ziinaCreateInput({ amountMinor: 400, currencyCode: 'AED' }, uniqueId('iso-ziina')),
      );
      const healthyZopay = await createThroughGateway(
        zopayCreateInput({ amount: '5.00', currencies: ['USDT'] }, uniqueId('iso-zopay')),
      );
      federation().orders.push(...ordersReferencing([failing, healthyZiina, healthyZopay, failing]));
      // Every attempt (the first and both retries) at the failing intent's GET answers 503.
      const failingProviderId = failing.slice('zopay:'.length);
      federation().stack.zopay.faults.push(
        ...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503, pathIncludes: failingProviderId })),
      );

      const since = federation().fetches.length;
      const answer = await federation().gateway(ORDERS_QUERY);

      expect(answer.status).toBe(200);
      expect(federation().entityFetches(PAYMENTS, since)).toHaveLength(1);
      // The duplicate shared one read: its three attempts consumed exactly the three faults.
      expect(federation().stack.zopay.faults.pending).toBe(0);
      expect(answer.json.data).toEqual({
        orders: [
          { id: 'order-1', label: 'Order 1', paymentIntent: null },
          {
            id: 'order-2',
            label: 'Order 2',
            paymentIntent: {
              id: healthyZiina,
              status: 'REQUIRES_PAYMENT_INSTRUMENT',
              amount: { amount: '4.00', currency: 'AED' },
              provider: 'ZIINA',
            },
          },
          {
            id: 'order-3',
            label: 'Order 3',
            paymentIntent: {
              id: healthyZopay,
              status: 'REQUIRES_PAYMENT_INSTRUMENT',
              amount: { amount: '5.00', currency: 'USDT' },
              provider: 'ZOPAY',
            },
          },
          { id: 'order-4', label: 'Order 4', paymentIntent: null },
        ],
      });
      const errors = answer.json.errors as {
        message: string;
        path?: unknown[];
        extensions?: Record<string, unknown>;
      }[];
      expect(errors.map((error) => error.path)).toEqual([
        router.entityErrorPath(['orders', 0, 'paymentIntent']),
        router.entityErrorPath(['orders', 3, 'paymentIntent']),
      ]);
      for (const error of errors) {
        expect(error.extensions).toEqual({
          code: 'PROVIDER_UNAVAILABLE',
          provider: 'ZOPAY',
          providerStatus: 503,
          retryable: true,
          serviceName: PAYMENTS,
        });
        expect(error.message).toMatch(/unavailable/i);
      }
      expect(answer.text).not.toContain('INTERNAL_SERVER_ERROR');
      expect(answer.text).not.toContain(federation().stack.zopay.baseUrl);
      expect(answer.text).not.toContain(federation().stack.app.graphqlUrl);
    });
  });

  describe('user errors arrive intact', () => {
    it('turns a value a scalar refuses (exponent Decimal, bad Currency) into INVALID_INPUT on its field, not an opaque error', async () => {
      const zopay = await createExpectingUserErrors(zopayCreateInput({ amount: '1e5' }, uniqueId('exponent')));
      expect(zopay.userErrors).toEqual([
        expect.objectContaining({ code: 'INVALID_INPUT', field: ['provider', 'zopay', 'amount'], provider: 'ZOPAY' }),
      ]);
      expect(zopay.userErrors[0]!.message).toMatch(
        /^provider\.zopay\.amount must be a string in plain decimal notation/,
      );
      const ziina = await createExpectingUserErrors(ziinaCreateInput({ currencyCode: 'XXXX' }, uniqueId('currency')));
      expect(ziina.userErrors).toEqual([
        expect.objectContaining({
          code: 'INVALID_INPUT',
          field: ['provider', 'ziina', 'currencyCode'],
          provider: 'ZIINA',
        }),
      ]);
    });

    it("passes Zopay's own 409 idempotency_conflict through as IDEMPOTENCY_CONFLICT", async () => {
      const clientMutationId = uniqueId('conflict');
      // The first create reaches Zopay (which stores the key) but all three answers are lost, so the
      // subgraph gives up and releases its own record: the conflict below can only come from Zopay.
      federation().stack.zopay.faults.push(
        ...Array.from({ length: 3 }, () => ({ method: 'POST', afterHandler: true, status: 503 })),
      );
      const lost = await createExpectingUserErrors(zopayCreateInput({ amount: '10.50' }, clientMutationId));
      expect(lost.userErrors.map((error) => error.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(federation().stack.zopay.faults.pending).toBe(0);

      const conflict = await createExpectingUserErrors(zopayCreateInput({ amount: '11.00' }, clientMutationId));
      expect(conflict.clientMutationId).toBe(clientMutationId);
      expect(conflict.userErrors).toHaveLength(1);
      expect(conflict.userErrors[0]).toMatchObject<Partial<UserError>>({
        code: 'IDEMPOTENCY_CONFLICT',
        provider: 'ZOPAY',
        providerStatus: 409,
        providerCode: 'idempotency_conflict',
        retryable: false,
      });
    });

    it("passes Zopay's 422 through as PROVIDER_VALIDATION_FAILED with the field path", async () => {
      federation().stack.zopay.faults.push({
        method: 'POST',
        status: 422,
        body: { detail: [{ loc: ['body', 'currencies', 0], msg: 'Unsupported asset', type: 'value_error' }] },
      });
      const rejected = await createExpectingUserErrors(zopayCreateInput({}, uniqueId('unprocessable')));
      expect(federation().stack.zopay.faults.pending).toBe(0);
      expect(rejected.userErrors).toHaveLength(1);
      expect(rejected.userErrors[0]).toMatchObject<Partial<UserError>>({
        code: 'PROVIDER_VALIDATION_FAILED',
        provider: 'ZOPAY',
        providerStatus: 422,
        field: ['provider', 'zopay', 'currencies', '0'],
        retryable: false,
      });
      // Our words and Zopay's code; Zopay's own text stays in the subgraph's log.
      expect(rejected.userErrors[0]!.message).toBe(
        'Zopay rejected the payment intent (value_error) because of its currencies.0',
      );
    });
  });
});

/** Orders `order-1`, `order-2`, … referencing these intent ids (null: an order without one). */
function ordersReferencing(ids: readonly (string | null)[]) {
  return ids.map((paymentIntentId, index) => ({
    id: `order-${index + 1}`,
    label: `Order ${index + 1}`,
    paymentIntentId,
  }));
}

function paymentsFetchCount(harness: FederationHarness): number {
  return harness.fetches.filter((fetch) => fetch.subgraph === PAYMENTS).length;
}
