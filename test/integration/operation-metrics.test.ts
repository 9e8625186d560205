import { describe, expect, it } from 'vitest';
import { zopayCreateInput } from '../support/builders.ts';
import { CREATE_PAYMENT_INTENT } from '../support/operations.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { useTestStack } from '../support/test-stack.ts';

// What /metrics says of the operations clients sent: counted by name, type and outcome, timed, their
// user errors by code, the idempotency record's decisions, and every label value bounded.

const stack = useTestStack();

/** The change of each named series (a counter, or a histogram's _count) while `work` runs. */
async function deltas(series: Record<string, [string, Record<string, string>]>, work: () => Promise<unknown>) {
  const read = (text: string) =>
    Object.fromEntries(Object.entries(series).map(([key, [name, labels]]) => [key, counterValue(text, name, labels)]));
  const before = read(await scrapeMetrics(stack()));
  await work();
  const after = read(await scrapeMetrics(stack()));
  return Object.fromEntries(Object.keys(series).map((key) => [key, after[key]! - before[key]!]));
}

describe('/metrics of GraphQL operations', () => {
  it('counts creates by outcome, their user errors by code and what the idempotency record decided', async () => {
    const input = zopayCreateInput({}, 'metrics-create-1');
    const changes = await deltas(
      {
        ok: ['payments_graphql_operations_total', { operation: 'Create', type: 'mutation', outcome: 'ok' }],
        userError: [
          'payments_graphql_operations_total',
          { operation: 'Create', type: 'mutation', outcome: 'user_error' },
        ],
        timed: ['payments_graphql_operation_duration_seconds_count', { operation: 'Create', type: 'mutation' }],
        conflict: ['payments_create_user_errors_total', { provider: 'ZOPAY', code: 'IDEMPOTENCY_CONFLICT' }],
        invalid: ['payments_create_user_errors_total', { provider: 'ZOPAY', code: 'INVALID_INPUT' }],
        performed: ['payments_idempotency_decisions_total', { provider: 'ZOPAY', decision: 'performed' }],
        replayed: ['payments_idempotency_decisions_total', { provider: 'ZOPAY', decision: 'replayed' }],
        conflicted: ['payments_idempotency_decisions_total', { provider: 'ZOPAY', decision: 'conflict' }],
        inserts: ['payments_store_query_duration_seconds_count', { statement: 'insert', outcome: 'ok' }],
      },
      async () => {
        await stack().graphql(CREATE_PAYMENT_INTENT, { input });
        await stack().graphql(CREATE_PAYMENT_INTENT, { input });
        await stack().graphql(CREATE_PAYMENT_INTENT, {
          input: { ...input, provider: { zopay: { amount: '1.00', currencies: ['USDT'] } } },
        });
        // Refused before any claim: a user error, no idempotency decision.
        await stack().graphql(CREATE_PAYMENT_INTENT, { input: zopayCreateInput({ amount: '0' }, 'metrics-invalid-1') });
      },
    );

    expect(changes).toEqual({
      ok: 2,
      userError: 2,
      timed: 4,
      conflict: 1,
      invalid: 1,
      performed: 1,
      replayed: 1,
      conflicted: 1,
      inserts: expect.any(Number),
    });
    expect(changes.inserts).toBeGreaterThanOrEqual(1);
  });

  it('keeps at most 50 client-chosen operation names as labels; the rest, and over-long ones, count as other', async () => {
    const names = Array.from({ length: 60 }, (_, index) => `Probe${index}`);
    const changes = await deltas({ other: ['payments_graphql_operations_total', { operation: 'other' }] }, async () => {
      for (const name of [...names, `L${'o'.repeat(64)}ng`]) await stack().graphql(`query ${name} { __typename }`);
    });

    const labelled = new Set(
      [...(await scrapeMetrics(stack())).matchAll(/^payments_graphql_operations_total\{operation="([^"]*)"/gm)].map(
        ([, operation]) => operation,
      ),
    );
    expect(labelled.size).toBeLessThanOrEqual(50 + 1);
    expect(labelled).toContain('other');
    expect(changes.other).toBeGreaterThanOrEqual(61 - 50);
  });
});
