import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { useStoppedAfterEach } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

// Each test starts its own stack: what it is about is in the stack's configuration.
const stopAfterTest = useStoppedAfterEach((stack: TestStack) => stack.stop());

/** A port on 127.0.0.1 where nothing listens: connections are refused at once. */
async function closedPortUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

describe('credentials a provider rejects (our configuration fault)', () => {
  it('masks a Zopay 401 as INTERNAL_SERVER_ERROR and logs it loudly without the key', async () => {
    const wrongKey = 'sk_test_this_key_is_revoked_0123456789';
    const stack = await stopAfterTest(startTestStack({ zopayApiKey: wrongKey }));
    const answer = await stack.graphql(CREATE_PAYMENT_INTENT, { input: zopayCreateInput({}, 'cred-1') });

    expect(answer.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['createPaymentIntent'],
        locations: expect.any(Array),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(answer.text).not.toContain(wrongKey);
    expect(answer.text).not.toContain(stack.zopay.baseUrl);

    const failure = stack.log
      .entries()
      .find((entry) => entry.msg === 'provider integration failure: Zopay: rejected our credentials (HTTP 401)');
    expect(failure).toMatchObject({ level: 50, provider: 'ZOPAY', providerStatus: 401 });
    expect(stack.log.text).not.toContain(wrongKey);
  });

  it('masks a Ziina 401 on a read too', async () => {
    const stack = await stopAfterTest(startTestStack({ env: { ZIINA_API_KEY: 'ziina-wrong-token-abcdef' } }));
    const answer = await stack.graphql(GET_PAYMENT_INTENT, { id: 'ziina:00000000-0000-4000-8000-000000000000' });

    expect(answer.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(answer.text).not.toContain('ziina-wrong-token-abcdef');
    expect(answer.text).not.toContain('Unauthorized');
    expect(stack.log.text).toContain('rejected our credentials (HTTP 401)');
    expect(stack.log.text).not.toContain('ziina-wrong-token-abcdef');
  });
});

describe("answers that break a provider's contract (our integration fault)", () => {
  it.each([
    ['zopay', 'an HTML page as a JSON string', '<html>Bad Gateway</html>'],
    ['zopay', 'an intent without its id', { amount: '10.50' }],
    ['ziina', 'an array', []],
    ['ziina', 'an empty object', {}],
  ] as const)(
    'masks a %s 200 with %s, and logs it with its HTTP status and without the body',
    async (provider, _case, body) => {
      const stack = await stopAfterTest(startTestStack());
      stack[provider].faults.push({ method: 'POST', status: 200, body });
      const input = provider === 'zopay' ? zopayCreateInput({}, 'broken-200') : ziinaCreateInput({}, 'broken-200');
      const answer = await stack.graphql(CREATE_PAYMENT_INTENT, { input });

      expect(answer.status).toBe(200);
      expect(answer.errors).toEqual([
        expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
      const failures = stack.log
        .entries()
        .filter((entry) => String(entry.msg).startsWith('provider integration failure'));
      expect(failures).toEqual([
        expect.objectContaining({ level: 50, provider: provider.toUpperCase(), providerStatus: 200 }),
      ]);
      expect(stack.log.text).not.toContain('Bad Gateway');
    },
  );
});

describe('deadlines and unreachable providers', () => {
  it('gives up on a provider that does not answer within the deadline', async () => {
    const stack = await stopAfterTest(
      startTestStack({ env: { PROVIDER_DEADLINE_MS: '600', PROVIDER_READ_TIMEOUT_MS: '400' } }),
    );
    stack.zopay.faults.push(...Array.from({ length: 3 }, () => ({ method: 'POST', delayMs: 5_000 })));
    const startedAt = performance.now();
    const answer = await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
      input: zopayCreateInput({}, 'slow-1'),
    });
    const elapsed = performance.now() - startedAt;

    expect(answer.data!.createPaymentIntent.userErrors).toEqual([
      {
        code: 'PROVIDER_UNAVAILABLE',
        message: 'Zopay did not answer in time; the outcome is unknown. Retry with the same clientMutationId.',
        field: null,
        provider: 'ZOPAY',
        providerStatus: null,
        providerCode: null,
        retryable: true,
      },
    ]);
    // The deadline bounds the whole call, retries included.
    expect(elapsed).toBeLessThan(1_500);
  });

  it('retries even a Ziina create when the connection was refused (nothing was sent), then reports it', async () => {
    const stack = await stopAfterTest(startTestStack({ env: { ZIINA_BASE_URL: await closedPortUrl('/api') } }));
    const answer = await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
      input: ziinaCreateInput({}, 'refused-1'),
    });

    expect(answer.data!.createPaymentIntent.userErrors).toEqual([
      expect.objectContaining({
        code: 'PROVIDER_UNAVAILABLE',
        message: 'Ziina could not be reached; nothing was sent. Retry with the same clientMutationId.',
        retryable: true,
      }),
    ]);
    const attempts = stack.log.entries().filter((entry) => entry.operation === 'ziina.create');
    expect(attempts.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
  });
});
