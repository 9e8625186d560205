import { describe, expect, it } from 'vitest';
import { commandFromInput } from '../../../src/graphql/create-payment-intent-input.ts';
import {
  payloadFromResult,
  payloadOfRefusedInput,
  type UserErrorModel,
} from '../../../src/graphql/create-payment-intent-payload.ts';
import type { CreatePaymentIntentInput } from '../../../src/graphql/generated/resolvers-types.ts';
import { parseDecimal } from '../../../src/money/decimal.ts';
import {
  validateCreateCommand,
  type ValidatedCreate,
} from '../../../src/payments/validation/validate-create-command.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';
import { parsedZiinaCreateInput, parsedZopayCreateInput, ziinaCreateRequest } from '../../support/builders.ts';

type PaymentIntentUserError = UserErrorModel;

/**
 * What createPaymentIntent checks before any provider call, as its resolver runs it: the GraphQL
 * edge picks the provider branch, the domain checks the clientMutationId and has the provider's
 * module check its branch, and the edge words each problem on its input path.
 */
function validateCreateInput(
  input: CreatePaymentIntentInput,
  nowMs: number,
): { ok: true; value: ValidatedCreate } | { ok: false; errors: PaymentIntentUserError[] } {
  const read = commandFromInput(input, registeredProviders);
  if (!read.ok)
    return {
      ok: false,
      errors: [
        ...payloadOfRefusedInput(input.clientMutationId, read.provider, read.issues, registeredProviders).userErrors,
      ],
    };
  const { command } = read;
  const validation = validateCreateCommand(command, registeredProviders.byId(command.provider), nowMs);
  if (validation.ok) return validation;
  const result = {
    clientMutationId: command.clientMutationId,
    provider: command.provider,
    outcome: { kind: 'invalid', issues: validation.issues } as const,
    replayed: false,
  };
  return { ok: false, errors: [...payloadFromResult(result, registeredProviders).userErrors] };
}

const NOW = Date.parse('2025-03-01T10:00:00.000Z');
const EMOJI = '😀'; // one code point, two UTF-16 units

/** The errors of an invalid input; fails the test when the input passed. */
function errorsOf(input: CreatePaymentIntentInput, nowMs = NOW): PaymentIntentUserError[] {
  const result = validateCreateInput(input, nowMs);
  if (result.ok) throw new Error(`expected validation errors, got ${JSON.stringify(result.value)}`);
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.retryable).toBe(false);
    expect(error.providerStatus).toBeNull();
    expect(error.providerCode).toBeNull();
  }
  return result.errors;
}

const fields = (errors: readonly PaymentIntentUserError[]) => errors.map((error) => error.field);

function expectValid(input: CreatePaymentIntentInput, nowMs = NOW) {
  const result = validateCreateInput(input, nowMs);
  if (!result.ok) throw new Error(`expected a valid input, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('clientMutationId', () => {
  it.each([
    ['1 character', 'a'],
    ['255 characters', 'k'.repeat(255)],
    ['a UUID', '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d'],
    ['printable ASCII punctuation and spaces', 'order #1 / ~tilde {x}'],
  ])('accepts %s', (_case, clientMutationId) => {
    expect(expectValid({ ...parsedZopayCreateInput(), clientMutationId }).clientMutationId).toBe(clientMutationId);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'commande-é'],
    ['an emoji', `order-${EMOJI}`],
    ['a newline', 'order\n1'],
    ['a tab', 'order\t1'],
    ['a NUL', 'order\u00001'],
    ['DEL', 'order\u007f'],
  ])('rejects %s', (_case, clientMutationId) => {
    const errors = errorsOf({ ...parsedZopayCreateInput(), clientMutationId });
    expect(fields(errors)).toEqual([['clientMutationId']]);
    expect(errors[0]?.provider).toBeNull();
  });

  // An HTTP header cannot carry them: Zopay would get "order-42" for "order-42 ", another key here.
  it.each([
    ['a leading space', ' order-42'],
    ['a trailing space', 'order-42 '],
    ['only a space', ' '],
  ])('rejects %s, saying so', (_case, clientMutationId) => {
    const errors = errorsOf({ ...parsedZopayCreateInput(), clientMutationId });
    expect(errors.map(({ field, message }) => ({ field, message }))).toEqual([
      { field: ['clientMutationId'], message: 'clientMutationId must not begin or end with a space' },
    ]);
  });
});

describe('provider branch', () => {
  const zopayBranch = { amount: parseDecimal('1'), currencies: ['USDT'] };
  const ziinaBranch = { amountMinor: 1050, currencyCode: 'AED' };

  it.each([
    ['no branch', {}],
    ['both branches', { zopay: zopayBranch, ziina: ziinaBranch }],
    ['both branches null', { zopay: null, ziina: null }],
    ['one branch null, other absent', { zopay: null }],
  ])('%s -> an error on ["provider"]', (_case, provider) => {
    const input = { clientMutationId: 'order-1', provider } as unknown as CreatePaymentIntentInput;
    const errors = errorsOf(input);
    expect(fields(errors)).toEqual([['provider']]);
    expect(errors[0]?.message).toMatch(/exactly one branch/);
  });

  it('reports a bad clientMutationId and a bad branch count together', () => {
    const input = { clientMutationId: '', provider: {} } as unknown as CreatePaymentIntentInput;
    expect(fields(errorsOf(input))).toEqual([['clientMutationId'], ['provider']]);
  });

  it('takes the one non-null branch when the other is null', () => {
    const input = {
      clientMutationId: 'order-1',
      provider: { zopay: null, ziina: ziinaBranch },
    } as unknown as CreatePaymentIntentInput;
    expect(expectValid(input).request.provider).toBe('ZIINA');
  });
});

describe('Zopay branch', () => {
  it('yields the normalised request', () => {
    expect(
      expectValid(
        parsedZopayCreateInput(
          {
            amount: parseDecimal('10.50'),
            currencies: ['USDT', 'btc'],
            externalRef: 'ref',
            description: 'Coffee',
            metadata: { cart: 'c-1', n: 3 },
          },
          'order-1',
        ),
      ),
    ).toEqual({
      clientMutationId: 'order-1',
      request: {
        provider: 'ZOPAY',
        amount: '10.50',
        currencies: ['USDT', 'btc'],
        externalRef: 'ref',
        description: 'Coffee',
        metadata: { cart: 'c-1', n: 3 },
      },
    });
  });

  it('turns absent and null optional fields into null', () => {
    const { request } = expectValid(
      parsedZopayCreateInput({ amount: parseDecimal('10.50'), currencies: ['USDT'], externalRef: null }),
    );
    expect(request).toEqual({
      provider: 'ZOPAY',
      amount: '10.50',
      currencies: ['USDT'],
      externalRef: null,
      description: null,
      metadata: null,
    });
  });

  it('drops fields Zopay does not know', () => {
    const input = parsedZopayCreateInput({ ...({ surprise: 1 } as object) });
    expect(Object.keys(expectValid(input).request).sort()).toEqual([
      'amount',
      'currencies',
      'description',
      'externalRef',
      'metadata',
      'provider',
    ]);
  });

  it.each(['0', '0.00', '-1', '-0.01'])('rejects the amount %s', (amount) => {
    const errors = errorsOf(parsedZopayCreateInput({ amount: parseDecimal(amount) }));
    expect(fields(errors)).toEqual([['provider', 'zopay', 'amount']]);
    expect(errors[0]?.message).toContain('greater than 0');
    expect(errors[0]?.provider).toBe('ZOPAY');
  });

  it('accepts the smallest positive amount', () => {
    expect(expectValid(parsedZopayCreateInput({ amount: parseDecimal('0.000000000000000001') })).request).toMatchObject(
      {
        amount: '0.000000000000000001',
      },
    );
  });

  it.each([
    ['1 currency', 1],
    ['10 currencies', 10],
  ])('accepts %s', (_case, count) => {
    const currencies = Array.from({ length: count }, (_, index) => `C${index}`);
    expect(expectValid(parsedZopayCreateInput({ currencies })).request).toMatchObject({ currencies });
  });

  it.each([
    ['0 currencies', 0],
    ['11 currencies', 11],
  ])('rejects %s', (_case, count) => {
    const currencies = Array.from({ length: count }, (_, index) => `C${index}`);
    expect(fields(errorsOf(parsedZopayCreateInput({ currencies })))).toEqual([['provider', 'zopay', 'currencies']]);
  });

  it.each([[['USDT', 'USDT']], [['USDT', 'usdt']], [['BTC', 'USDT', 'Btc']]])(
    'rejects the duplicate currencies %j',
    (currencies) => {
      const errors = errorsOf(parsedZopayCreateInput({ currencies }));
      expect(fields(errors)).toEqual([['provider', 'zopay', 'currencies']]);
      expect(errors[0]?.message).toContain('twice');
    },
  );

  it.each(['', 'US DT', '-USDT', 'USDT!', 'A'.repeat(21), 'ÜSDT'])('rejects the asset code %j at its index', (code) => {
    expect(fields(errorsOf(parsedZopayCreateInput({ currencies: ['BTC', code] })))).toEqual([
      ['provider', 'zopay', 'currencies', '1'],
    ]);
  });

  it.each(['USDC.E', 'USDT_TRC20', 'usdt-erc20', 'A'.repeat(20)])('accepts the asset code %j', (code) => {
    expect(validateCreateInput(parsedZopayCreateInput({ currencies: [code] }), NOW).ok).toBe(true);
  });

  it('counts externalRef in code points: 255 emoji pass, 256 fail', () => {
    const ok = EMOJI.repeat(255);
    expect(ok.length).toBe(510); // more than 255 UTF-16 units
    expect(expectValid(parsedZopayCreateInput({ externalRef: ok })).request).toMatchObject({ externalRef: ok });
    const errors = errorsOf(parsedZopayCreateInput({ externalRef: EMOJI.repeat(256) }));
    expect(fields(errors)).toEqual([['provider', 'zopay', 'externalRef']]);
    expect(errors[0]?.message).toContain('at most 255');
  });

  it('accepts 255 ASCII characters of externalRef and rejects 256', () => {
    expect(validateCreateInput(parsedZopayCreateInput({ externalRef: 'r'.repeat(255) }), NOW).ok).toBe(true);
    expect(fields(errorsOf(parsedZopayCreateInput({ externalRef: 'r'.repeat(256) })))).toEqual([
      ['provider', 'zopay', 'externalRef'],
    ]);
  });

  it('accepts a description of 500 characters and rejects 501', () => {
    expect(validateCreateInput(parsedZopayCreateInput({ description: 'd'.repeat(500) }), NOW).ok).toBe(true);
    expect(validateCreateInput(parsedZopayCreateInput({ description: EMOJI.repeat(500) }), NOW).ok).toBe(true);
    expect(fields(errorsOf(parsedZopayCreateInput({ description: 'd'.repeat(501) })))).toEqual([
      ['provider', 'zopay', 'description'],
    ]);
  });

  const metadataWith = (keys: number) =>
    Object.fromEntries(Array.from({ length: keys }, (_, index) => [`k${index}`, 'v']));

  it('accepts 50 metadata keys and rejects 51 on the metadata field', () => {
    expect(validateCreateInput(parsedZopayCreateInput({ metadata: metadataWith(50) }), NOW).ok).toBe(true);
    const errors = errorsOf(parsedZopayCreateInput({ metadata: metadataWith(51) }));
    expect(fields(errors)).toEqual([['provider', 'zopay', 'metadata']]);
    expect(errors[0]?.message).toContain('50');
  });

  it('rejects a 501-character metadata value on that key', () => {
    const errors = errorsOf(parsedZopayCreateInput({ metadata: { fine: 'v'.repeat(500), tooLong: 'v'.repeat(501) } }));
    expect(fields(errors)).toEqual([['provider', 'zopay', 'metadata', 'tooLong']]);
  });

  it('counts a metadata value in code points', () => {
    expect(validateCreateInput(parsedZopayCreateInput({ metadata: { note: EMOJI.repeat(500) } }), NOW).ok).toBe(true);
  });

  it('counts a non-string metadata value by its JSON text', () => {
    const errors = errorsOf(parsedZopayCreateInput({ metadata: { list: Array.from({ length: 200 }, () => 'ab') } }));
    expect(fields(errors)).toEqual([['provider', 'zopay', 'metadata', 'list']]);
  });

  it('reports several errors at once, each on its own field', () => {
    const errors = errorsOf({
      clientMutationId: '',
      provider: {
        zopay: {
          amount: parseDecimal('0'),
          currencies: [],
          externalRef: 'r'.repeat(256),
          description: 'd'.repeat(501),
          metadata: { bad: 'v'.repeat(501) },
        },
      },
    });
    expect(fields(errors)).toEqual(
      expect.arrayContaining([
        ['clientMutationId'],
        ['provider', 'zopay', 'amount'],
        ['provider', 'zopay', 'currencies'],
        ['provider', 'zopay', 'externalRef'],
        ['provider', 'zopay', 'description'],
        ['provider', 'zopay', 'metadata', 'bad'],
      ]),
    );
    expect(errors).toHaveLength(6);
  });
});

describe('text no store can hold', () => {
  it.each([
    [
      'U+0000 in a Zopay description',
      parsedZopayCreateInput({ description: 'tea\u0000time' }),
      ['provider', 'zopay', 'description'],
    ],
    [
      'a lone surrogate in a Zopay externalRef',
      parsedZopayCreateInput({ externalRef: 'order-\ud800' }),
      ['provider', 'zopay', 'externalRef'],
    ],
    [
      'U+0000 in a Zopay metadata value',
      parsedZopayCreateInput({ metadata: { note: { deep: ['a\u0000'] } } }),
      ['provider', 'zopay', 'metadata', 'note'],
    ],
    [
      'U+0000 in a Zopay metadata key',
      parsedZopayCreateInput({ metadata: { 'k\u0000': 'v' } }),
      ['provider', 'zopay', 'metadata', 'k\u0000'],
    ],
    ['U+0000 in a Ziina message', parsedZiinaCreateInput({ message: '\u0000' }), ['provider', 'ziina', 'message']],
    [
      'a lone surrogate in a Ziina externalRef',
      parsedZiinaCreateInput({ externalRef: '\udc00' }),
      ['provider', 'ziina', 'externalRef'],
    ],
  ])('refuses %s as INVALID_INPUT on its field', (_what, input, field) => {
    const errors = errorsOf(input);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field, message: expect.stringContaining('U+0000') }),
    ]);
  });

  it('accepts well-formed text beyond the BMP and line breaks', () => {
    expect(expectValid(parsedZopayCreateInput({ description: 'line 1\nline 2 \u{1F4B8}' })).request).toMatchObject({
      description: 'line 1\nline 2 \u{1F4B8}',
    });
  });
});

describe('Ziina branch', () => {
  it('yields the normalised request', () => {
    const expiresAt = new Date(NOW + 60_000);
    expect(
      expectValid(
        parsedZiinaCreateInput(
          {
            amountMinor: 1050,
            currencyCode: 'aed',
            message: 'Order 17',
            successUrl: new URL('https://shop.example/ok'),
            cancelUrl: new URL('https://shop.example/cancel?x=1'),
            failureUrl: new URL('http://localhost:3000/fail'),
            test: true,
            allowTips: false,
            expiresAt,
            externalRef: 'order-17',
          },
          'order-1',
        ),
      ),
    ).toEqual({
      clientMutationId: 'order-1',
      request: {
        provider: 'ZIINA',
        amountMinor: 1050,
        currencyCode: 'AED',
        message: 'Order 17',
        successUrl: 'https://shop.example/ok',
        cancelUrl: 'https://shop.example/cancel?x=1',
        failureUrl: 'http://localhost:3000/fail',
        test: true,
        allowTips: false,
        expiresAtMs: NOW + 60_000,
        externalRef: 'order-17',
      },
    });
  });

  it('turns absent optional fields into null', () => {
    expect(expectValid(parsedZiinaCreateInput({ amountMinor: 1050, currencyCode: 'AED' })).request).toEqual(
      ziinaCreateRequest(),
    );
  });

  it('limits externalRef to 255 characters, like Zopay', () => {
    expect(expectValid(parsedZiinaCreateInput({ externalRef: 'r'.repeat(255) })).request).toMatchObject({
      externalRef: 'r'.repeat(255),
    });
    expect(fields(errorsOf(parsedZiinaCreateInput({ externalRef: 'r'.repeat(256) })))).toEqual([
      ['provider', 'ziina', 'externalRef'],
    ]);
  });

  it.each([0, -1, 10.5])('rejects amountMinor %d', (amountMinor) => {
    const errors = errorsOf(parsedZiinaCreateInput({ amountMinor }));
    expect(fields(errors)).toEqual([['provider', 'ziina', 'amountMinor']]);
    expect(errors[0]?.provider).toBe('ZIINA');
  });

  it.each(['ZZZ', 'USDT', 'AE', ''])('rejects the currency %j', (currencyCode) => {
    const errors = errorsOf(parsedZiinaCreateInput({ currencyCode }));
    expect(fields(errors)).toEqual([['provider', 'ziina', 'currencyCode']]);
    expect(errors[0]?.message).toContain('ISO-4217');
  });

  it.each(['JPY', 'KWD', 'usd'])('accepts the ISO currency %s', (currencyCode) => {
    expect(expectValid(parsedZiinaCreateInput({ currencyCode })).request).toMatchObject({
      currencyCode: currencyCode.toUpperCase(),
    });
  });

  it.each([
    ['in the past', NOW - 1],
    ['exactly now', NOW],
  ])('rejects expiresAt %s', (_case, at) => {
    const errors = errorsOf(parsedZiinaCreateInput({ expiresAt: new Date(at) }));
    expect(fields(errors)).toEqual([['provider', 'ziina', 'expiresAt']]);
    expect(errors[0]?.message).toContain('future');
  });

  it('accepts expiresAt 1 ms in the future, as unix milliseconds', () => {
    expect(expectValid(parsedZiinaCreateInput({ expiresAt: new Date(NOW + 1) })).request).toMatchObject({
      expiresAtMs: NOW + 1,
    });
  });

  it('judges expiresAt against the nowMs it is given', () => {
    const expiresAt = new Date(NOW);
    expect(validateCreateInput(parsedZiinaCreateInput({ expiresAt }), NOW - 1).ok).toBe(true);
    expect(validateCreateInput(parsedZiinaCreateInput({ expiresAt }), NOW + 1).ok).toBe(false);
  });

  it('keeps the request of an input refused by its expiry alone, for the replay of a create sent in time', () => {
    const lateValidation = (input: CreatePaymentIntentInput) => {
      const read = commandFromInput(input, registeredProviders);
      if (!read.ok) throw new Error('the GraphQL edge refused the input');
      return validateCreateCommand(read.command, registeredProviders.byId(read.command.provider), NOW);
    };
    const late = lateValidation(parsedZiinaCreateInput({ expiresAt: new Date(NOW) }));
    expect(late).toMatchObject({
      ok: false,
      issues: [{ field: ['providerInput', 'expiresAt'], problem: 'must be in the future' }],
      lateRequest: { request: { provider: 'ZIINA', expiresAtMs: NOW } },
    });
    // Any other problem makes it no request at all: nothing to replay, every problem reported.
    const alsoInvalid = lateValidation(parsedZiinaCreateInput({ expiresAt: new Date(NOW), amountMinor: 0 }));
    expect(alsoInvalid).toMatchObject({ ok: false, lateRequest: null });
    expect(alsoInvalid.ok ? [] : alsoInvalid.issues.map((issue) => issue.field.at(-1))).toEqual([
      'amountMinor',
      'expiresAt',
    ]);
  });

  it.each(['successUrl', 'cancelUrl', 'failureUrl'] as const)('rejects an ftp:// %s', (field) => {
    expect(fields(errorsOf(parsedZiinaCreateInput({ [field]: new URL('ftp://files.example/x') })))).toEqual([
      ['provider', 'ziina', field],
    ]);
  });

  it('rejects a javascript: URL', () => {
    expect(fields(errorsOf(parsedZiinaCreateInput({ successUrl: new URL('javascript:alert(1)') })))).toEqual([
      ['provider', 'ziina', 'successUrl'],
    ]);
  });

  it('accepts an https URL and gives it back as a string', () => {
    const { request } = expectValid(parsedZiinaCreateInput({ successUrl: new URL('https://shop.example/ok') }));
    expect(request).toMatchObject({ successUrl: 'https://shop.example/ok' });
  });

  it('accepts a message of 500 code points and rejects 501', () => {
    expect(validateCreateInput(parsedZiinaCreateInput({ message: EMOJI.repeat(500) }), NOW).ok).toBe(true);
    expect(fields(errorsOf(parsedZiinaCreateInput({ message: 'm'.repeat(501) })))).toEqual([
      ['provider', 'ziina', 'message'],
    ]);
  });

  it('reports several errors at once', () => {
    const errors = errorsOf({
      clientMutationId: 'bad\nid',
      provider: {
        ziina: {
          amountMinor: 0,
          currencyCode: 'ZZZ',
          expiresAt: new Date(NOW - 1000),
          successUrl: new URL('ftp://x.example/'),
        },
      },
    });
    expect(fields(errors).sort()).toEqual(
      [
        ['clientMutationId'],
        ['provider', 'ziina', 'amountMinor'],
        ['provider', 'ziina', 'currencyCode'],
        ['provider', 'ziina', 'expiresAt'],
        ['provider', 'ziina', 'successUrl'],
      ].sort(),
    );
  });

  it('names the field in each message', () => {
    const [error] = errorsOf(parsedZiinaCreateInput({ amountMinor: 0 }));
    expect(error?.message).toMatch(/^provider\.ziina\.amountMinor /);
  });
});
