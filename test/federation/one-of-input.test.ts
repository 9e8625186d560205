import { beforeEach, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/builders.ts';
import { PAYMENTS, startFederationHarness, type FederationHarness, type RouterOptions } from '../support/gateway.ts';
import type { HttpAnswer } from '../support/http.ts';
import { useStarted } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT } from '../support/operations.ts';

// `PaymentIntentProviderInput` is `@oneOf` in the served SDL. Whether the router enforces it
// depends on what composed its supergraph: @apollo/composition drops the directive, so the
// violation reaches the subgraph, which answers its own INVALID_INPUT user error; Hive Gateway
// composing from `_service { sdl }` itself keeps it and refuses the operation before any subgraph
// (docs/decisions/error-model.md, "@oneOf is enforced by the subgraph").

const zopayBranch = { amount: '1.00', currencies: ['USDT'] };
const ziinaBranch = { amountMinor: 100, currencyCode: 'AED' };
const inline = (clientMutationId: string, provider: string) => /* GraphQL */ `
  mutation {
    createPaymentIntent(input: { clientMutationId: "${clientMutationId}", provider: ${provider} }) {
      clientMutationId
      paymentIntent { id }
      userErrors { code message field provider providerStatus providerCode retryable }
    }
  }
`;

interface Violation {
  readonly name: string;
  readonly send: (harness: FederationHarness, clientMutationId: string) => Promise<HttpAnswer>;
  /** Hive Gateway's answer on a supergraph that kept @oneOf: GraphQL validation or variable coercion. */
  readonly refusal: { readonly status: number; readonly error: Record<string, unknown> };
}

// Variables are coerced (HTTP 400, no error code), documents validated (HTTP 200, a code), as
// graphql-js words them.
const coercionRefusal = (value: string) => ({
  status: 400,
  error: {
    message: `Variable "$input" got invalid value ${value} at "input.provider"; Exactly one key must be specified for OneOf type "PaymentIntentProviderInput".`,
    locations: [expect.any(Object)],
  },
});
const validationRefusal = {
  status: 200,
  error: {
    message: 'OneOf Input Object "PaymentIntentProviderInput" must specify exactly one key.',
    locations: [expect.any(Object)],
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  },
};

const VIOLATIONS: readonly Violation[] = [
  {
    name: 'both branches, as variables',
    send: (harness, id) =>
      harness.gateway(CREATE_PAYMENT_INTENT, {
        input: { clientMutationId: id, provider: { zopay: zopayBranch, ziina: ziinaBranch } },
      }),
    refusal: coercionRefusal(
      '{ zopay: { amount: "1.00", currencies: ["USDT"] }, ziina: { amountMinor: 100, currencyCode: "AED" } }',
    ),
  },
  {
    name: 'no branch, as variables',
    send: (harness, id) => harness.gateway(CREATE_PAYMENT_INTENT, { input: { clientMutationId: id, provider: {} } }),
    refusal: coercionRefusal('{}'),
  },
  {
    name: 'both branches, inline',
    send: (harness, id) =>
      harness.gateway(
        inline(
          id,
          '{ zopay: { amount: "1.00", currencies: ["USDT"] }, ziina: { amountMinor: 100, currencyCode: "AED" } }',
        ),
      ),
    refusal: validationRefusal,
  },
  { name: 'no branch, inline', send: (harness, id) => harness.gateway(inline(id, '{}')), refusal: validationRefusal },
];

/** Starts a harness for the block, and a sentinel fault per provider before each test. */
function useFederation(options: RouterOptions): () => FederationHarness {
  const federation = useStarted(
    () => startFederationHarness(options),
    (harness) => harness.stop(),
  );
  beforeEach(() => {
    // Any POST reaching an emulator would consume its sentinel.
    for (const emulator of [federation().stack.zopay, federation().stack.ziina]) {
      emulator.faults.clear();
      emulator.faults.push({ method: 'POST', status: 500 });
    }
  });
  return federation;
}

function expectNoProviderCall(harness: FederationHarness): void {
  expect(harness.stack.zopay.faults.pending).toBe(1);
  expect(harness.stack.ziina.faults.pending).toBe(1);
}

describe.each<RouterOptions>([{ gateway: 'apollo' }, { gateway: 'hive', composition: 'apollo' }])(
  'composed by @apollo/composition, through $gateway',
  (options) => {
    const federation = useFederation(options);

    it.each(VIOLATIONS)(
      'passes $name to payments, which answers HTTP 200 and an INVALID_INPUT user error',
      async ({ send }) => {
        const since = federation().fetches.length;
        const clientMutationId = uniqueId('one-of');

        const answer = await send(federation(), clientMutationId);

        expect(answer.status).toBe(200);
        expect(answer.json.errors).toBeUndefined();
        expect(answer.json.data.createPaymentIntent).toMatchObject({ clientMutationId, paymentIntent: null });
        expect(answer.json.data.createPaymentIntent.userErrors).toEqual([
          expect.objectContaining({
            code: 'INVALID_INPUT',
            field: ['provider'],
            providerStatus: null,
            providerCode: null,
            retryable: false,
          }),
        ]);
        // It went through the router to payments (the router did not reject it itself)...
        expect(
          federation()
            .fetches.slice(since)
            .map((fetch) => fetch.subgraph),
        ).toEqual([PAYMENTS]);
        // ...and no provider was called.
        expectNoProviderCall(federation());
        // No subgraph or provider address leaks to the client.
        for (const address of [
          federation().stack.app.graphqlUrl,
          new URL(federation().stack.app.graphqlUrl).host,
          federation().ordersSubgraph.url,
          federation().stack.zopay.baseUrl,
          federation().stack.ziina.baseUrl,
        ]) {
          expect(answer.text).not.toContain(address);
        }
      },
    );
  },
);

describe('composed by Hive Gateway itself from the subgraphs', () => {
  const federation = useFederation({ gateway: 'hive', composition: 'hive' });

  it.each(VIOLATIONS)('refuses $name itself, before any subgraph', async ({ send, refusal }) => {
    const since = federation().fetches.length;

    const answer = await send(federation(), uniqueId('one-of'));

    expect(answer.status).toBe(refusal.status);
    expect(answer.json).toEqual({ errors: [refusal.error] });
    expect(federation().fetches.slice(since)).toEqual([]);
    expectNoProviderCall(federation());
  });
});
