import { describe, expect, it } from 'vitest';
import { formatPaymentIntentId, parsePaymentIntentId } from '../../../src/payments/payment-intent-id.ts';

const PROVIDERS = ['ZOPAY', 'ZIINA'];

describe('formatPaymentIntentId', () => {
  it.each([
    ['ZOPAY', 'pi_123', 'zopay:pi_123'],
    ['ZIINA', '3f2a9c1e-0000-4000-8000-000000000000', 'ziina:3f2a9c1e-0000-4000-8000-000000000000'],
    ['ZOPAY', 'a:b:c', 'zopay:a:b:c'],
    ['ZIINA', 'MiXeD', 'ziina:MiXeD'],
  ] as const)('%s + %s -> %s', (provider, providerId, expected) => {
    expect(formatPaymentIntentId(provider, providerId)).toBe(expected);
  });
});

describe('parsePaymentIntentId', () => {
  it.each([
    ['zopay:pi_123', 'ZOPAY', 'pi_123'],
    ['ziina:3f2a9c1e-0000-4000-8000-000000000000', 'ZIINA', '3f2a9c1e-0000-4000-8000-000000000000'],
    ['zopay:a:b:c', 'ZOPAY', 'a:b:c'],
    ['ziina::leading-colon', 'ZIINA', ':leading-colon'],
    ['zopay: spaced ', 'ZOPAY', ' spaced '],
  ] as const)('%j -> %s / %j (provider id verbatim)', (id, provider, providerId) => {
    expect(parsePaymentIntentId(id, PROVIDERS)).toEqual({ provider, providerId });
  });

  it.each([
    ['unknown prefix', 'stripe:pi_1'],
    ['upper-case prefix', 'ZOPAY:pi_1'],
    ['capitalised prefix', 'Ziina:abc'],
    ['no separator', 'zopay'],
    ['no separator, provider id only', 'pi_123'],
    ['empty provider id', 'zopay:'],
    ['empty prefix', ':pi_1'],
    ['empty string', ''],
    ['only a colon', ':'],
    ['prefix with whitespace', ' zopay:pi_1'],
    ['prototype key as prefix', 'constructor:x'],
  ])('%s (%j) -> null', (_case, id) => {
    expect(parsePaymentIntentId(id, PROVIDERS)).toBeNull();
  });

  // Representations in `_entities` are untyped JSON: a non-string id must not throw for its whole batch.
  it.each([
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['an object', { id: 'zopay:pi_1' }],
    ['an array', ['zopay:pi_1']],
  ])('%s -> null', (_case, id) => {
    expect(parsePaymentIntentId(id, PROVIDERS)).toBeNull();
  });

  it.each([
    ['ZOPAY', 'pi_1'],
    ['ZIINA', 'x:y'],
  ] as const)('round-trips %s / %s', (provider, providerId) => {
    expect(parsePaymentIntentId(formatPaymentIntentId(provider, providerId), PROVIDERS)).toEqual({
      provider,
      providerId,
    });
  });
});
