import { describe, expect, it } from 'vitest';
import { zopayCreateInput } from '../support/builders.ts';
import { CREATE_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

const stack = useTestStack();
/** Where the subgraph listens, e.g. http://127.0.0.1:PORT */
const base = () => new URL(stack().app.graphqlUrl).origin;

describe('health endpoints', () => {
  it('answers liveness and readiness', async () => {
    const live = await fetch(`${base()}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'live' }]);
    const ready = await fetch(`${base()}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
  });
});

describe('HTTP behaviour of /graphql', () => {
  it('refuses a simple cross-site request (CSRF prevention stays on)', async () => {
    const response = await fetch(`${base()}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('CSRF');

    const formPost = await fetch(`${base()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { __typename }' }),
    });
    expect(formPost.status).toBe(400);
  });

  it('serves a GET query that carries a preflight header', async () => {
    const response = await fetch(`${base()}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect([response.status, await response.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await fetch(`${base()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers 413 to a body over 1 MiB without reading it all', async () => {
    const response = await fetch(`${base()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('answers HTTP 200 for an executed operation whose payload carries user errors', async () => {
    const answer = await stack().graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
      input: zopayCreateInput({ amount: '1' }, ''),
    });
    expect(answer.status).toBe(200);
    expect(answer.data!.createPaymentIntent.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['clientMutationId'],
    });
  });
});

describe('the one-of provider input', () => {
  it.each([
    [
      'both branches',
      { zopay: { amount: '1', currencies: ['USDT'] }, ziina: { amountMinor: 500, currencyCode: 'AED' } },
      2,
    ],
    ['no branch', {}, 0],
    ['explicit nulls', { zopay: null, ziina: null }, 0],
  ])('answers %s with a typed INVALID_INPUT user error and HTTP 200, not a 400', async (_case, provider, given) => {
    const before = stack().zopay.stats.createRequests + stack().ziina.stats.createRequests;
    const answer = await stack().graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
      input: { clientMutationId: 'one-of-check', provider },
    });
    expect(answer.status).toBe(200);
    expect(answer.data!.createPaymentIntent.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: `provider must have exactly one branch (zopay or ziina); ${given} given`,
        field: ['provider'],
        provider: null,
        providerStatus: null,
        providerCode: null,
        retryable: false,
      },
    ]);
    expect(stack().zopay.stats.createRequests + stack().ziina.stats.createRequests).toBe(before);
  });

  it('still declares @oneOf in the SDL it serves to the router', async () => {
    const answer = await stack().graphql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(answer.data!._service.sdl).toMatch(/input PaymentIntentProviderInput @oneOf/);
  });
});
