import { describe, expect, it } from 'vitest';
import { zopayCreateInput } from '../support/builders.ts';
import { postGraphQL } from '../support/http.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// What an on-call engineer greps for: one line per GraphQL operation and one per provider attempt,
// every line of a request carrying its id, which the response header gives back.

const ROUTER_SECRET = 'router-secret-for-the-operation-log-test-0123';
const stack = useTestStack({ env: { ROUTER_SECRET } });

function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postGraphQL(stack().app.graphqlUrl, query, variables, { 'x-router-secret': ROUTER_SECRET, ...headers });
}

function linesOf(requestId: string) {
  return stack()
    .log.entries()
    .filter((entry) => entry.requestId === requestId);
}

describe('the log of a GraphQL operation', () => {
  it("takes the router's x-request-id, answers it, and writes the operation and provider attempt lines with it", async () => {
    const requestId = '3f0c9b5e-7a1d-4d8e-9a53-b1c2d3e4f5a6';
    const input = zopayCreateInput({}, 'log-create-1');
    const answer = await post(CREATE_PAYMENT_INTENT, { input }, { 'x-request-id': requestId });
    const created = answer.json.data.createPaymentIntent;

    expect(answer.headers.get('x-request-id')).toBe(requestId);
    const lines = linesOf(requestId);
    expect(lines.filter((line) => line.msg === 'provider call attempt')).toEqual([
      expect.objectContaining({
        provider: 'ZOPAY',
        operation: 'zopay.create',
        method: 'POST',
        status: 201,
        attempt: 1,
        durationMs: expect.any(Number),
        breaker: 'closed',
      }),
    ]);
    expect(lines.filter((line) => line.msg === 'graphql operation')).toEqual([
      expect.objectContaining({
        level: 30,
        operationName: 'Create',
        operationType: 'mutation',
        durationMs: expect.any(Number),
        outcome: 'ok',
        provider: 'ZOPAY',
        clientMutationId: 'log-create-1',
        replayed: false,
        paymentIntentId: created.paymentIntent.id,
      }),
    ]);

    const replay = await post(CREATE_PAYMENT_INTENT, { input }, { 'x-request-id': `${requestId}-replay` });
    expect(replay.json.data.createPaymentIntent.replayed).toBe(true);
    expect(linesOf(`${requestId}-replay`)).toEqual([
      expect.objectContaining({ msg: 'graphql operation', outcome: 'ok', replayed: true }),
    ]);
  });

  it.each([
    ['too long', 'r'.repeat(129)],
    ['with characters a log reader could be fooled by', 'id" level=50 msg="forged'],
  ])('replaces a request id that is %s by one of its own', async (_, presented) => {
    const answer = await post(
      GET_PAYMENT_INTENT,
      { id: 'zopay:pi_unknown_for_the_log_test' },
      { 'x-request-id': presented },
    );

    const requestId = answer.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(requestId)).toContainEqual(
      expect.objectContaining({
        msg: 'graphql operation',
        operationName: 'Get',
        operationType: 'query',
        outcome: 'ok',
      }),
    );
    expect(stack().log.text).not.toContain(presented);
  });

  it('says which user errors a create answered, whatever the client selected', async () => {
    const answer = await post(
      'mutation Refused($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { replayed } }',
      { input: zopayCreateInput({ amount: '0' }, 'log-refused-1') },
    );
    const requestId = answer.headers.get('x-request-id')!;

    expect(linesOf(requestId)).toEqual([
      expect.objectContaining({
        msg: 'graphql operation',
        operationName: 'Refused',
        outcome: 'user_error',
        userErrorCodes: ['INVALID_INPUT'],
        provider: 'ZOPAY',
        clientMutationId: 'log-refused-1',
        replayed: false,
      }),
    ]);
  });

  it('gives the top-level error codes of an operation that failed, and of one refused before it ran', async () => {
    stack().zopay.faults.push(...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503 })));
    const failed = await post(GET_PAYMENT_INTENT, { id: 'zopay:pi_log_unavailable' });
    const invalid = await post('query { paymentIntent(id: "x") { notAField } }', {});

    expect(linesOf(failed.headers.get('x-request-id')!)).toContainEqual(
      expect.objectContaining({ msg: 'graphql operation', outcome: 'error', errorCodes: ['PROVIDER_UNAVAILABLE'] }),
    );
    expect(linesOf(invalid.headers.get('x-request-id')!)).toEqual([
      expect.objectContaining({
        msg: 'graphql operation',
        operationName: null,
        operationType: null,
        outcome: 'error',
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      }),
    ]);
    const attempts = linesOf(failed.headers.get('x-request-id')!).filter(
      (line) => line.msg === 'provider call attempt',
    );
    expect(attempts.map(({ attempt, status, level }) => ({ attempt, status, level }))).toEqual([
      { attempt: 1, status: 503, level: 40 },
      { attempt: 2, status: 503, level: 40 },
      { attempt: 3, status: 503, level: 40 },
    ]);
  });

  it('holds no key, secret, provider URL or provider body', () => {
    const text = stack().log.text;
    for (const secret of [stack().zopay.apiKey, stack().ziina.apiKey, ROUTER_SECRET, stack().zopay.baseUrl])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('"url"');
  });
});

describe('the log of an operation whose error was masked', () => {
  const revoked = useTestStack({ zopayApiKey: 'sk_test_revoked_key_for_the_log_test_0123' });

  it('says masked, beside the error line that holds the detail', async () => {
    const answer = await postGraphQL(revoked().app.graphqlUrl, CREATE_PAYMENT_INTENT, {
      input: zopayCreateInput({}, 'log-masked-1'),
    });
    const lines = revoked()
      .log.entries()
      .filter((entry) => entry.requestId === answer.headers.get('x-request-id'));

    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringMatching(/^provider integration failure/) }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'graphql operation',
        outcome: 'masked',
        errorCodes: ['INTERNAL_SERVER_ERROR'],
        clientMutationId: 'log-masked-1',
      }),
    );
    expect(revoked().log.text).not.toContain('sk_test_revoked_key_for_the_log_test_0123');
  });
});
