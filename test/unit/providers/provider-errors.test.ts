import { describe, expect, it } from 'vitest';
import type { PaymentIntentUserError } from '../../../src/payments/payment-intent-user-error.ts';
import {
  failedCreateOutcome,
  ProviderIntegrationError,
  type ProviderErrorDetails,
} from '../../../src/providers/provider-errors.ts';
import { ZIINA } from '../../../src/providers/ziina/ziina-identity.ts';
import { ZOPAY } from '../../../src/providers/zopay/zopay-identity.ts';

const PROVIDER_MESSAGE = 'provider says: secret-ish body text 8c1d';
const details = (overrides: Partial<ProviderErrorDetails> = {}): ProviderErrorDetails => ({
  code: 'some_code',
  message: PROVIDER_MESSAGE,
  field: ['amount'],
  ...overrides,
});

/** The one user error of a create the provider answered with `status`. */
function classifyFailedCreate(
  provider: 'ZOPAY' | 'ZIINA',
  status: number,
  errorDetails: ProviderErrorDetails,
  inUseCodes?: ReadonlySet<string>,
): PaymentIntentUserError {
  const outcome = failedCreateOutcome(
    provider === 'ZOPAY' ? ZOPAY : ZIINA,
    { status, details: errorDetails },
    inUseCodes,
  );
  if (outcome.kind !== 'rejected' || outcome.userErrors.length !== 1)
    throw new Error(`expected one user error, got ${JSON.stringify(outcome)}`);
  return outcome.userErrors[0]!;
}
const IN_USE = new Set(['idempotency_key_in_use']);

describe('failedCreateOutcome', () => {
  it('409 with a code that is not an in-use code is IDEMPOTENCY_CONFLICT, not retryable', () => {
    const error = classifyFailedCreate('ZOPAY', 409, details({ code: 'idempotency_conflict' }), IN_USE);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
      retryable: false,
      provider: 'ZOPAY',
      providerStatus: 409,
      providerCode: 'idempotency_conflict',
      field: null,
    });
    expect(error.message).toBe(
      'Zopay already received this clientMutationId with a different request (idempotency_conflict)',
    );
    expect(error.message).not.toContain(PROVIDER_MESSAGE);
  });

  it('409 without a code is IDEMPOTENCY_CONFLICT', () => {
    expect(classifyFailedCreate('ZOPAY', 409, details({ code: null }), IN_USE).code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('409 with an in-use code is IDEMPOTENCY_KEY_IN_USE, retryable', () => {
    const error = classifyFailedCreate('ZOPAY', 409, details({ code: 'idempotency_key_in_use' }), IN_USE);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
      providerStatus: 409,
      providerCode: 'idempotency_key_in_use',
    });
  });

  it('an in-use code only counts on a 409', () => {
    expect(classifyFailedCreate('ZOPAY', 400, details({ code: 'idempotency_key_in_use' }), IN_USE).code).toBe(
      'PROVIDER_VALIDATION_FAILED',
    );
  });

  it('without in-use codes, every 409 is a conflict', () => {
    expect(classifyFailedCreate('ZIINA', 409, details({ code: 'idempotency_key_in_use' })).code).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it.each([400, 422])('%d is PROVIDER_VALIDATION_FAILED with the provider field kept', (status) => {
    const error = classifyFailedCreate('ZIINA', status, details({ code: 'TRANSFER_UNDER_MINIMUM' }));
    expect(error).toMatchObject({
      code: 'PROVIDER_VALIDATION_FAILED',
      retryable: false,
      provider: 'ZIINA',
      providerStatus: status,
      providerCode: 'TRANSFER_UNDER_MINIMUM',
      // A path into the create command; the GraphQL edge maps it into the input.
      field: ['providerInput', 'amount'],
    });
    expect(error.message).toBe('Ziina rejected the payment intent (TRANSFER_UNDER_MINIMUM) because of its amount');
  });

  it('without a provider code or field the message has no dangling parts', () => {
    expect(classifyFailedCreate('ZIINA', 400, details({ code: null, field: null })).message).toBe(
      'Ziina rejected the payment intent',
    );
  });

  it('429 is RATE_LIMITED, retryable, field null', () => {
    const error = classifyFailedCreate('ZOPAY', 429, details());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, providerStatus: 429, field: null });
  });

  it.each([500, 502, 503, 504, 599])(
    '%d is PROVIDER_UNAVAILABLE, retryable, without the provider message',
    (status) => {
      const error = classifyFailedCreate('ZOPAY', status, details());
      expect(error).toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
        providerStatus: status,
        field: null,
      });
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain('same clientMutationId');
      expect(error.message).not.toContain(PROVIDER_MESSAGE);
    },
  );

  it.each([401, 403, 404, 418, 302, 408])(
    '%d throws a ProviderIntegrationError that never quotes the provider message',
    (status) => {
      let thrown: unknown;
      try {
        classifyFailedCreate('ZIINA', status, details());
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProviderIntegrationError);
      const error = thrown as ProviderIntegrationError;
      expect(error.provider).toBe(ZIINA);
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).not.toContain(PROVIDER_MESSAGE);
      expect(JSON.stringify(error.detail)).not.toContain(PROVIDER_MESSAGE);
      expect(error.detail).toMatchObject({ providerStatus: status, providerCode: 'some_code' });
    },
  );

  it('says "credentials" for 401/403 only', () => {
    const messageFor = (status: number) => {
      try {
        classifyFailedCreate('ZOPAY', status, details());
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    expect(messageFor(401)).toContain('credentials');
    expect(messageFor(403)).toContain('credentials');
    expect(messageFor(404)).not.toContain('credentials');
  });

  it.each([
    ['a message of 300 characters', 'm'.repeat(300)],
    ['a message that quotes a key and an internal URL', 'invalid key sk_live_abc123 for http://10.0.0.7:8080/internal'],
  ])("never quotes the provider's own text (%s): it goes to the log only", (_case, message) => {
    const error = classifyFailedCreate('ZOPAY', 422, details({ message }));
    expect(error.message).toBe('Zopay rejected the payment intent (some_code) because of its amount');
    expect(error.message).not.toContain(message);
  });

  it('passes on a provider code only when it looks like one', () => {
    for (const code of ['TRANSFER_UNDER_MINIMUM', 'idempotency_conflict', 'E422', 'value_error.any_str.max_length']) {
      expect(classifyFailedCreate('ZOPAY', 422, details({ code })).providerCode).toBe(code);
    }
    for (const code of ['has spaces in it', 'x'.repeat(65), 'sk_live_abc<script>', '']) {
      const error = classifyFailedCreate('ZOPAY', 422, details({ code }));
      expect([error.providerCode, error.message]).toEqual([
        null,
        'Zopay rejected the payment intent because of its amount',
      ]);
    }
  });
});
