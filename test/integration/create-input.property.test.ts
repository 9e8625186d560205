import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalLikeText, oneCharacterOf, plainDecimal } from '../support/decimal-arbitraries.ts';
import { CREATE_PAYMENT_INTENT, USER_ERROR_CODES, type CreatePayload } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// Arbitrary createPaymentIntent inputs, sent as GraphQL variables to the real server (real HTTP,
// PostgreSQL, both emulators): whatever a client sends, the answer is typed. HTTP 200 with a
// payload (an intent, or userErrors whose codes are the contract's), or HTTP 400 when graphql-js
// refuses a variable of a built-in type while coercing it. Never INTERNAL_SERVER_ERROR, never a
// stack trace, and an input refused as INVALID_INPUT never reaches a provider.

const stack = useTestStack();

// Each run is one HTTP round trip (and at most one provider call): 300 take about 4 s here.
// A failure prints fast-check's seed and path; pass them back to fc.assert to replay it.
const NUM_RUNS = 300;

/** Text of every kind: any code point, U+0000, lone surrogates, controls, quotes, and long runs (a request stays within its 1 MiB). */
const oddText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.string({ unit: oneCharacterOf('\u0000\ud800\udfff\u202e\ufeff\n\t"\\é😀 aZ09-_./:'), maxLength: 30 }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 70_000 }).map((length) => 'x'.repeat(length)) },
);

/** A JSON value of a type the field does not have (or null). */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Numbers around what GraphQL's Int (32-bit) and a float64 can hold. */
const intEdge = fc.constantFrom(
  0,
  -1,
  1,
  199,
  200,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_648,
  -2_147_483_649,
  2 ** 53,
  1.5,
  -0,
  1e21,
);

/**
 * A field's value: mostly valid, else a near miss, odd text, a wrong type, null or absent
 * (undefined is left out of JSON). A custom scalar (Decimal, Currency, DateTime, URL, JSONObject)
 * takes any JSON value through coercion and refuses it in validation, so it gets odd values more
 * often; an odd value of a built-in type fails the whole request at coercion, so it gets fewer, or
 * few runs would get as far as validation and the providers.
 */
function field(
  type: 'custom scalar' | 'built-in',
  valid: fc.Arbitrary<unknown>,
  nearMiss?: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const validWeight = type === 'custom scalar' ? 12 : 40;
  return fc.oneof(
    { weight: validWeight, arbitrary: valid },
    { weight: 3, arbitrary: nearMiss ?? valid },
    { weight: 1, arbitrary: oddText },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  );
}

/** Short text of every kind, for object keys. */
const oddKey = fc.string({ unit: oneCharacterOf('\u0000\ud800\udfff\u202e\ufeff\n"\\é😀 aZ09-_.'), maxLength: 10 });

/** JSON objects nested up to 20 levels (the bound is 16), with keys and strings of any code point. */
const metadata = fc
  .tuple(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), fc.integer({ min: 0, max: 20 }), oddKey)
  .map(([leaf, depth, key]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level += 1) value = { [key]: value };
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value };
  });

/** Sometimes a field no input type has. */
function withExtraField(arbitrary: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { weight: 30, arbitrary },
    {
      weight: 1,
      arbitrary: fc
        .tuple(arbitrary, fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }))
        .map(([object, key, value]) => ({ ...object, [key]: value })),
    },
  );
}

const positiveDecimal = plainDecimal.filter((text) => !text.startsWith('-') && /[1-9]/.test(text) && text.length <= 30);
const url = fc.constantFrom('https://shop.example/ok', 'http://localhost/back');
const badUrl = fc.constantFrom('ftp://files.example/', 'javascript:alert(1)', 'not a url', 'https://');
const shortText = fc.string({ maxLength: 20 });

const zopayBranch = withExtraField(
  fc.record({
    amount: field(
      'custom scalar',
      positiveDecimal,
      fc.oneof(plainDecimal, decimalLikeText, fc.constantFrom('0', '-1', '1e3', '0.000000000000000001')),
    ),
    currencies: field(
      'built-in',
      fc.uniqueArray(fc.constantFrom('USDT', 'BTC', 'USDC', 'ETH'), { minLength: 1, maxLength: 4 }),
      fc.array(field('built-in', fc.constantFrom('usdt', 'USDC.E', 'A'.repeat(21), 'US DT')), { maxLength: 12 }),
    ),
    externalRef: field('built-in', shortText),
    description: field('built-in', shortText),
    metadata: field('custom scalar', fc.dictionary(fc.string({ maxLength: 8 }), shortText, { maxKeys: 5 }), metadata),
  }),
);

const ziinaBranch = withExtraField(
  fc.record({
    amountMinor: field('built-in', fc.integer({ min: 200, max: 1_000_000 }), fc.oneof(intEdge, fc.integer())),
    currencyCode: field('custom scalar', fc.constantFrom('AED', 'aed'), fc.constantFrom('USD', 'XXX', 'KWD', 'EURO')),
    message: field('built-in', shortText),
    successUrl: field('custom scalar', url, badUrl),
    cancelUrl: field('custom scalar', url, badUrl),
    failureUrl: field('custom scalar', url, badUrl),
    test: field('built-in', fc.boolean()),
    expiresAt: field(
      'custom scalar',
      fc.constant('2030-01-01T00:00:00Z'),
      fc.constantFrom('2000-01-01T00:00:00Z', '2030-01-01', '2030-02-30T00:00:00+04:00'),
    ),
    allowTips: field('built-in', fc.boolean()),
    externalRef: field('built-in', shortText),
  }),
);

/** Zero, one or both branches, or something that is no branch at all. */
const providerInput = fc.oneof(
  { weight: 12, arbitrary: zopayBranch.map((zopay) => ({ zopay })) },
  { weight: 12, arbitrary: ziinaBranch.map((ziina) => ({ ziina })) },
  { weight: 1, arbitrary: fc.tuple(zopayBranch, ziinaBranch).map(([zopay, ziina]) => ({ zopay, ziina })) },
  { weight: 1, arbitrary: fc.constantFrom({}, { zopay: null }, { ziina: null, zopay: null }) },
  { weight: 1, arbitrary: fc.oneof(wrongType, fc.constant(undefined)) },
);

const createInput = fc.oneof(
  {
    weight: 60,
    arbitrary: withExtraField(
      fc.record({
        clientMutationId: field('built-in', fc.uuid(), fc.string({ minLength: 0, maxLength: 300 })),
        provider: providerInput,
      }),
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

/**
 * Why graphql-js refused a variable while coercing it (HTTP 400), by its message: the built-in type
 * whose value was wrong, or the input-object rule broken. A custom scalar never refuses here: its
 * refusals become INVALID_INPUT user errors. The create input has no enum field, so no enum can.
 */
const COERCION_FAILURES: readonly (readonly [string, RegExp])[] = [
  ['Int', /Int cannot represent/],
  ['String', /String cannot represent/],
  ['Boolean', /Boolean cannot represent/],
  ['required field absent', /Field "[^"]+" of required type "[^"]+" was not provided/],
  ['null for a non-null type', /Expected non-nullable type "[^"]+" not to be null/],
  // The field's name is printed as is: it may hold quotes.
  ['unknown field', /Field ".*" is not defined by type "\w+"\./s],
  ['not an input object', /Expected type "[^"]+" to be an object/],
];

function coercionFailure(message: string): string | undefined {
  if (/^Variable "\$input" of (?:non-null|required) type "CreatePaymentIntentInput!"/.test(message)) {
    return 'null or absent input';
  }
  if (!message.startsWith('Variable "$input" got invalid value')) return undefined;
  return COERCION_FAILURES.find(([, pattern]) => pattern.test(message))?.[0];
}

describe('any create input, through the real server', () => {
  it(
    `answers every one typed: 200 with a payload or 400 for a built-in type's coercion; INVALID_INPUT sends nothing (${NUM_RUNS} runs)`,
    { timeout: 120_000 },
    async () => {
      const answered = new Map<string, number>();
      const count = (outcome: string) => answered.set(outcome, (answered.get(outcome) ?? 0) + 1);
      const createRequests = () => stack().zopay.stats.createRequests + stack().ziina.stats.createRequests;
      const started = performance.now();

      await fc.assert(
        fc.asyncProperty(createInput, async (input) => {
          const sentBefore = createRequests();
          const answer = await stack().graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, {
            input,
          });
          const sent = createRequests() - sentBefore;
          expect(answer.text).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\n\s+at /);

          if (answer.status === 400) {
            // graphql-js refused the variables: nothing executed, nothing sent.
            expect(answer.data).toBeUndefined();
            expect(answer.errors?.length).toBeGreaterThan(0);
            for (const error of answer.errors ?? []) {
              expect(error.extensions?.code, error.message).toBe('BAD_USER_INPUT');
              const failure = coercionFailure(error.message);
              expect(failure, error.message).toBeDefined();
              count(`400 ${failure}`);
            }
            expect(sent).toBe(0);
            return;
          }

          expect(answer.status, answer.text).toBe(200);
          expect(answer.errors, answer.text).toBeUndefined();
          const payload = answer.data!.createPaymentIntent;
          const codes = payload.userErrors.map((error) => error.code);
          for (const code of codes) expect(USER_ERROR_CODES, code).toContain(code);
          if (payload.paymentIntent === null) expect(codes.length).toBeGreaterThan(0);
          else expect(codes).toEqual([]);
          if (codes.includes('INVALID_INPUT')) {
            // Validation comes first and reports alone: nothing reached a provider.
            expect(new Set(codes)).toEqual(new Set(['INVALID_INPUT']));
            expect(sent).toBe(0);
          }
          count(payload.paymentIntent === null ? `200 ${[...new Set(codes)].join('+')}` : '200 created');
        }),
        { numRuns: NUM_RUNS },
      );

      const seconds = (performance.now() - started) / 1000;
      console.log(
        `[figures] ${NUM_RUNS} arbitrary create inputs in ${seconds.toFixed(1)} s; answers (a 400 counted once per coercion error): ${JSON.stringify(Object.fromEntries([...answered].sort()))}`,
      );
      // The generator reaches every part of the input, not only its outer shape.
      expect(answered.get('200 created')).toBeGreaterThan(0);
      expect(answered.get('200 INVALID_INPUT')).toBeGreaterThan(NUM_RUNS / 10);
      expect([...answered.keys()].some((outcome) => outcome.startsWith('400 '))).toBe(true);
      // Nothing was masked: no error line in the subgraph's log.
      expect(
        stack()
          .log.entries()
          .filter((entry) => (entry.level as number) >= 50),
      ).toEqual([]);
    },
  );
});
