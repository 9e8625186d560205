import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ziinaOperationId } from '../../src/providers/ziina/ziina-operation-id.ts';
import { uniqueId, ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { emulatorIntents } from '../support/emulator-admin.ts';
import { createThroughGraphQL, listPage } from '../support/operations.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { useTestStack } from '../support/test-stack.ts';
import { registerSubgraphWebhook, ziinaDeliveries } from '../support/ziina-webhook-client.ts';

// A create whose answer is lost (the provider made the intent, the answer never came back) must
// not leave its clientMutationId stuck: the rule is one payable intent handed out per key, not one
// intent created (docs/decisions/lost-create-outcome.md).

const SECRET = `whsec_${randomBytes(24).toString('hex')}`;
// The provider's answer comes after the deadline; the lease outlasts the deadline, as it must.
const stack = useTestStack(
  {
    env: {
      ZIINA_WEBHOOK_SECRET: SECRET,
      PROVIDER_DEADLINE_MS: '600',
      PROVIDER_READ_TIMEOUT_MS: '500',
      IDEMPOTENCY_LEASE_MS: '2000',
    },
  },
  (started) => registerSubgraphWebhook(started, SECRET),
);
afterEach(async () => {
  await ziinaDeliveries(stack()).settled();
  stack().ziina.faults.clear();
  stack().zopay.faults.clear();
});

/** The provider makes the intent, then holds its answer past the subgraph's deadline. */
function loseTheNextAnswer(emulator: 'zopay' | 'ziina'): void {
  stack()[emulator].faults.push({ method: 'POST', afterHandler: true, delayMs: 1_500 });
}

async function lostZiinaIntentOf(clientMutationId: string): Promise<string> {
  const atZiina = (await emulatorIntents(stack().ziina.baseUrl)) as { id: string; operation_id: string }[];
  const lost = atZiina.filter((intent) => intent.operation_id === ziinaOperationId(clientMutationId));
  expect(lost).toHaveLength(1);
  return lost[0]!.id;
}

describe('a Ziina create whose answer was lost', () => {
  it('is not stuck: the retry creates again with the same operation_id and hands out that intent', async () => {
    const input = ziinaCreateInput({ externalRef: uniqueId('lost-ziina') });
    const before = stack().ziina.stats.intentsCreated;
    loseTheNextAnswer('ziina');

    const first = await createThroughGraphQL(stack(), input);
    expect(first.userErrors).toEqual([expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', retryable: true })]);
    const lostId = await lostZiinaIntentOf(input.clientMutationId);

    const retry = await createThroughGraphQL(stack(), input);
    expect(retry.userErrors).toEqual([]);
    expect(retry.replayed).toBe(false);
    expect(retry.paymentIntent?.id).not.toBe(`ziina:${lostId}`);
    expect(stack().ziina.stats.intentsCreated - before).toBe(2);
    expect(await createThroughGraphQL(stack(), input)).toEqual({ ...retry, replayed: true });

    // The lost intent surfaces by its webhook: stored as superseded, counted, logged; never for the key.
    expect(stack().ziina.setStatus(lostId, 'requires_user_action')).toBe(true);
    await ziinaDeliveries(stack()).settled();
    expect(counterValue(await scrapeMetrics(stack()), 'payments_superseded_intents_total', { provider: 'ZIINA' })).toBe(
      1,
    );
    expect(stack().log.entries()).toContainEqual(
      expect.objectContaining({ level: 40, paymentIntentId: `ziina:${lostId}`, handedOut: retry.paymentIntent?.id }),
    );
    expect(await createThroughGraphQL(stack(), input)).toEqual({ ...retry, replayed: true });
    const listed = await listPage(stack(), { filter: { externalRef: input.provider.ziina.externalRef } });
    expect(listed.edges.map((edge) => edge.node.id)).toEqual([retry.paymentIntent?.id]);
  });

  it('hands out the lost intent itself when its webhook came before the retry', async () => {
    const input = ziinaCreateInput();
    const before = stack().ziina.stats.intentsCreated;
    loseTheNextAnswer('ziina');
    await createThroughGraphQL(stack(), input);
    const lostId = await lostZiinaIntentOf(input.clientMutationId);
    expect(stack().ziina.setStatus(lostId, 'pending')).toBe(true);
    await ziinaDeliveries(stack()).settled();

    const retry = await createThroughGraphQL(stack(), input);
    expect(retry).toMatchObject({
      replayed: true,
      userErrors: [],
      paymentIntent: { id: `ziina:${lostId}`, status: 'PENDING' },
    });
    expect(stack().ziina.stats.intentsCreated - before).toBe(1);
  });
});

describe('a Zopay create whose answer was lost', () => {
  it('is sent again with the same Idempotency-Key, which Zopay replays: one intent', async () => {
    const input = zopayCreateInput();
    const before = { ...stack().zopay.stats };
    loseTheNextAnswer('zopay');

    // Sent again by the provider client within the call's deadline, or by the client's retry.
    const first = await createThroughGraphQL(stack(), input);
    const created = first.userErrors.length === 0 ? first : await createThroughGraphQL(stack(), input);
    expect(created.userErrors).toEqual([]);
    expect(stack().zopay.stats.createRequests - before.createRequests).toBeGreaterThanOrEqual(2);
    expect(stack().zopay.stats.intentsCreated - before.intentsCreated).toBe(1);
  });

  it('keeps its key for its input: another input is a conflict, sent nowhere, and the retry gets the intent', async () => {
    const input = zopayCreateInput();
    const before = { ...stack().zopay.stats };
    // Every attempt within the call's deadline loses its answer: the outcome stays unknown.
    for (let attempt = 0; attempt < 3; attempt += 1) loseTheNextAnswer('zopay');
    const first = await createThroughGraphQL(stack(), input);
    expect(first.userErrors).toEqual([expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', retryable: true })]);
    stack().zopay.faults.clear();
    const sentAfterFirst = stack().zopay.stats.createRequests;

    const otherInput = zopayCreateInput({ amount: '99.99' }, input.clientMutationId);
    const other = await createThroughGraphQL(stack(), otherInput);
    expect(other.userErrors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', retryable: false })]);
    expect(stack().zopay.stats.createRequests).toBe(sentAfterFirst);

    const retry = await createThroughGraphQL(stack(), input);
    expect(retry.userErrors).toEqual([]);
    expect(stack().zopay.stats.intentsCreated - before.intentsCreated).toBe(1);
    expect(await createThroughGraphQL(stack(), otherInput)).toMatchObject({
      userErrors: [expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT' })],
    });
  });
});
