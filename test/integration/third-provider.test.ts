import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../../src/providers/provider-registry.ts';
import { registeredProviders } from '../../src/providers/registered-providers.ts';
import { postJson } from '../support/http.ts';
import { useTestStack } from '../support/test-stack.ts';
import { acmeModule, acmeTypeDefs } from '../third-provider/acme-module.ts';

// A provider is one folder: test/third-provider/ holds Acme Pay, an imaginary provider written as a
// provider module (its identity, environment, input rules, adapter, statuses, emulator and GraphQL
// types). This test composes it into the registry and the schema, and nothing else changes: the real
// HTTP server creates, replays, reads and lists its intents, on the emulator it starts without a key.

const providers = new ProviderRegistry([...registeredProviders.modules, acmeModule]);
const stack = useTestStack({ providers, schemaExtensions: [acmeTypeDefs] });

const CREATE = /* GraphQL */ `
  mutation Create($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      replayed
      paymentIntent {
        id
        provider
        status
        providerStatus
        amount {
          amount
          currency
        }
        details {
          __typename
          ... on AcmePaymentIntentDetails {
            reference
          }
        }
      }
      userErrors {
        code
        message
        field
        provider
        retryable
      }
    }
  }
`;
const READ = /* GraphQL */ `
  query Read($id: ID!) {
    paymentIntent(id: $id) {
      id
      provider
      status
      providerStatus
      details {
        ... on AcmePaymentIntentDetails {
          reference
        }
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query List {
    paymentIntents(filter: { provider: ACME }) {
      edges {
        node {
          id
          provider
        }
      }
    }
  }
`;

const acmeInput = (clientMutationId: string, amount = '12.34') => ({
  input: { clientMutationId, provider: { acme: { amount, currency: 'EUR' } } },
});

/** Where the subgraph started Acme's emulator, as its start-up log says. */
function acmeEmulatorUrl(): string {
  const announcement = stack()
    .log.entries()
    .find((entry) => entry.provider === 'ACME' && entry.baseUrl !== undefined);
  expect(announcement?.msg).toBe('ACME_API_KEY is not set: using the built-in Acme Pay emulator');
  return String(announcement?.baseUrl);
}

describe('a third provider registered as one module', () => {
  it('creates an intent at it through /graphql, with its own details type', async () => {
    const answer = await stack().graphql(CREATE, acmeInput('acme-order-1'));

    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createPaymentIntent).toEqual({
      replayed: false,
      paymentIntent: {
        id: expect.stringMatching(/^acme:acme_/),
        provider: 'ACME',
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        providerStatus: 'open',
        amount: { amount: '12.34', currency: 'EUR' },
        details: { __typename: 'AcmePaymentIntentDetails', reference: 'REF-1' },
      },
      userErrors: [],
    });
  });

  it('replays a retry with the same clientMutationId', async () => {
    const first = await stack().graphql(CREATE, acmeInput('acme-order-2'));
    const retry = await stack().graphql(CREATE, acmeInput('acme-order-2'));

    expect(retry.data?.createPaymentIntent).toEqual({ ...first.data?.createPaymentIntent, replayed: true });
  });

  it('reads it back from the provider, in the status the provider reports now', async () => {
    const created = await stack().graphql(CREATE, acmeInput('acme-order-3'));
    const id = String(created.data?.createPaymentIntent.paymentIntent.id);
    const providerId = id.slice('acme:'.length);
    const paid = await postJson(
      `${new URL(acmeEmulatorUrl()).origin}/__emulator/payment-intents/${providerId}/status`,
      { status: 'paid' },
    );
    expect(paid.status).toBe(200);

    const read = await stack().graphql(READ, { id });

    expect(read.data?.paymentIntent).toEqual({
      id,
      provider: 'ACME',
      status: 'COMPLETED',
      providerStatus: 'paid',
      details: { reference: 'REF-3' },
    });
  });

  it('lists its intents under its own provider value', async () => {
    const created = await stack().graphql(CREATE, acmeInput('acme-order-4'));
    const list = await stack().graphql(LIST);

    const ids = (list.data?.paymentIntents.edges as { node: { id: string; provider: string } }[]).map(
      (edge) => edge.node,
    );
    expect(ids).toContainEqual({ id: created.data?.createPaymentIntent.paymentIntent.id, provider: 'ACME' });
    expect(new Set(ids.map((node) => node.provider))).toEqual(new Set(['ACME']));
  });

  it('refuses an input its rules refuse before any call, on the input path', async () => {
    const answer = await stack().graphql(CREATE, acmeInput('acme-order-5', '0'));

    expect(answer.data?.createPaymentIntent.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'provider.acme.amount must be greater than 0',
        field: ['provider', 'acme', 'amount'],
        provider: 'ACME',
        retryable: false,
      },
    ]);
  });

  it('counts as a branch of the one-of input', async () => {
    const answer = await stack().graphql(CREATE, { input: { clientMutationId: 'acme-order-6', provider: {} } });

    expect(answer.data?.createPaymentIntent.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: ['provider'],
        message: 'provider must have exactly one branch (zopay or ziina or acme); 0 given',
      }),
    ]);
  });
});
