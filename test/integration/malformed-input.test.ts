import { describe, expect, it } from 'vitest';
import { PLAIN_DECIMAL_FORM } from '../../src/money/decimal.ts';
import { uniqueId, ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { postJson } from '../support/http.ts';
import { CREATE_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// A value its scalar refuses (Decimal, Currency, DateTime, URL, JSONObject) comes back as an
// INVALID_INPUT user error on its field, like every other problem of a create's input, with HTTP
// 200: never as a variable-coercion 400 that a router turns into an opaque error. Nothing is sent.

const stack = useTestStack();

async function create(input: object): Promise<CreatePayload> {
  const answer = await stack().graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, { input });
  expect(answer.status).toBe(200);
  expect(answer.errors).toBeUndefined();
  return answer.data!.createPaymentIntent;
}

/** Creates sent to the providers while `work` ran. */
async function createsSentDuring(work: () => Promise<unknown>): Promise<number> {
  const before = stack().zopay.stats.createRequests + stack().ziina.stats.createRequests;
  await work();
  return stack().zopay.stats.createRequests + stack().ziina.stats.createRequests - before;
}

const invalid = (field: string[], problem: string, provider: string | null) => ({
  code: 'INVALID_INPUT',
  message: `${field.join('.')} ${problem}`,
  field,
  provider,
  providerStatus: null,
  providerCode: null,
  retryable: false,
});

const DECIMAL_PROBLEM = `must be a string in ${PLAIN_DECIMAL_FORM}`;

describe('Decimal in variables', () => {
  it('refuses a JSON number, which is already a binary float, with a clear message', async () => {
    const input = zopayCreateInput({ amount: 10.5 as unknown as string });
    let payload: CreatePayload | undefined;
    expect(await createsSentDuring(async () => (payload = await create(input)))).toBe(0);
    expect(payload).toMatchObject({
      paymentIntent: null,
      userErrors: [invalid(['provider', 'zopay', 'amount'], DECIMAL_PROBLEM, 'ZOPAY')],
    });
  });

  it.each(['1e5', '1e+21', '+10', '010.50', ' 10.50', '10.', '١٠'])(
    'refuses %j instead of rewriting it',
    async (amount) => {
      const payload = await create(zopayCreateInput({ amount }));
      expect(payload.userErrors).toEqual([invalid(['provider', 'zopay', 'amount'], DECIMAL_PROBLEM, 'ZOPAY')]);
    },
  );

  it('refuses 101 digits, plain notation beyond its bound, with a message that names the bound', async () => {
    const payload = await create(zopayCreateInput({ amount: '9'.repeat(101) }));
    expect(payload.userErrors).toEqual([invalid(['provider', 'zopay', 'amount'], DECIMAL_PROBLEM, 'ZOPAY')]);
    expect(payload.userErrors[0]?.message).toContain('at most 100 characters');
  });
});

describe('other scalars of the create input', () => {
  it.each([
    ['currencyCode', '123', 'must be an ISO-4217 currency code, e.g. "AED"'],
    ['currencyCode', 'XXXX', 'must be an ISO-4217 currency code, e.g. "AED"'],
    ['expiresAt', 'tomorrow', 'must be an RFC 3339 date-time with its offset, e.g. "2030-01-01T00:00:00Z"'],
    ['successUrl', 'not a url', 'must be an absolute URL, e.g. "https://shop.example/paid"'],
  ])('refuses %s %j on its field, sending nothing', async (field, value, problem) => {
    let payload: CreatePayload | undefined;
    expect(await createsSentDuring(async () => (payload = await create(ziinaCreateInput({ [field]: value }))))).toBe(0);
    expect(payload?.userErrors).toEqual([invalid(['provider', 'ziina', field], problem, 'ZIINA')]);
  });

  it('reports every refused value and a bad clientMutationId at once', async () => {
    const input = { ...ziinaCreateInput({ currencyCode: 'XXXX', successUrl: 'nope' }), clientMutationId: 'bad\nid' };
    const payload = await create(input);
    expect(payload.userErrors.map((error) => error.field)).toEqual([
      ['clientMutationId'],
      ['provider', 'ziina', 'currencyCode'],
      ['provider', 'ziina', 'successUrl'],
    ]);
  });
});

describe('metadata (JSONObject)', () => {
  function nested(depth: number): unknown {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level += 1) value = { deeper: value };
    return value;
  }

  it('refuses a value nested 200,000 levels deep as INVALID_INPUT, quickly and without an error in the log', async () => {
    // Written as text (JSON.stringify itself would overflow this process's stack on such a value),
    // with arrays, so that 200,000 levels fit in the 1 MiB a request body may have.
    const depth = 200_000;
    const body = JSON.stringify({
      query: CREATE_PAYMENT_INTENT,
      variables: { input: zopayCreateInput({ metadata: {} }) },
    }).replace('"metadata":{}', `"metadata":{"cart":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const started = performance.now();
    const answer = await postJson(stack().app.graphqlUrl, body);
    const elapsedMs = performance.now() - started;
    expect(answer.status).toBe(200);
    const payload = answer.json.data.createPaymentIntent as CreatePayload;
    console.log(`[figures] metadata nested 200,000 levels deep refused in ${elapsedMs.toFixed(0)} ms`);
    expect(payload.userErrors).toEqual([
      invalid(['provider', 'zopay', 'metadata'], 'must nest at most 16 levels', 'ZOPAY'),
    ]);
    expect(
      stack()
        .log.entries()
        .filter((entry) => (entry.level as number) >= 50),
    ).toEqual([]);
  });

  it.each([
    ['an array', ['a', 'b'], 'must be a JSON object'],
    ['more than 64 KiB of JSON', { blob: 'x'.repeat(70_000) }, 'must be at most 65536 bytes of JSON'],
  ])('refuses %s on its field', async (_case, metadata, problem) => {
    const payload = await create(zopayCreateInput({ metadata: metadata as Record<string, unknown> }, uniqueId('meta')));
    expect(payload.userErrors).toEqual([invalid(['provider', 'zopay', 'metadata'], problem, 'ZOPAY')]);
  });

  it('still accepts nesting within the bound', async () => {
    const payload = await create(zopayCreateInput({ metadata: { cart: nested(10) } }));
    expect(payload.userErrors).toEqual([]);
  });
});

describe('a variable sent as null where its default let it fill a non-null argument', () => {
  // Validation accepts `$id: ID = "…"` in `paymentIntent(id: ID!)` for its default; sent as null, it
  // is refused by graphql-js only while executing. That is the client's error, not an alert of ours.
  async function askWithNull(document: string, variables: Record<string, unknown>) {
    const before = stack().log.lines.length;
    const answer = await stack().graphql(document, variables);
    const errorLines = stack()
      .log.entries()
      .slice(before)
      .filter((entry) => (entry.level as number) >= 50);
    return { answer, errorLines };
  }
  const refusedArgument = (argument: string, type: string, path?: string[]) => ({
    message: `Argument "${argument}" of non-null type "${type}" must not be null.`,
    locations: [expect.objectContaining({ line: 1 })],
    ...(path && { path }),
    extensions: { code: 'BAD_USER_INPUT' },
  });

  it.each([
    ['the first time the document is seen', 'NullId'],
    ['after the same document was answered with its default', 'NullIdAgain'],
  ])("answers BAD_USER_INPUT with graphql-js's message on the field, %s", async (_case, operationName) => {
    const document = `query ${operationName}($id: ID = "zopay:pi_default") { paymentIntent(id: $id) { id } }`;
    if (operationName === 'NullIdAgain') expect((await stack().graphql(document)).errors).toBeUndefined();
    const readsBefore = stack().zopay.stats.readRequests;
    const { answer, errorLines } = await askWithNull(document, { id: null });

    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ paymentIntent: null });
    expect(answer.errors).toEqual([refusedArgument('id', 'ID!', ['paymentIntent'])]);
    expect(errorLines).toEqual([]);
    expect(stack().zopay.stats.readRequests).toBe(readsBefore);
  });

  it('answers BAD_USER_INPUT for the condition of an @include', async () => {
    const document = 'query NullCondition($shown: Boolean = true) { __typename @include(if: $shown) }';
    expect((await stack().graphql(document)).errors).toBeUndefined();
    const { answer, errorLines } = await askWithNull(document, { shown: null });

    expect(answer.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([refusedArgument('if', 'Boolean!')]);
    expect(errorLines).toEqual([]);
  });
});
