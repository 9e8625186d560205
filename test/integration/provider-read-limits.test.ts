import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createdId } from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

// Provider reads are bounded per request (PROVIDER_READS_PER_REQUEST) and a provider's "not found"
// is remembered (PROVIDER_NOT_FOUND_TTL_MS): neither a document of aliased reads nor a consumer's
// stale references can spend the provider's quota.

const LIMIT = 5;
const stack = useTestStack({
  env: {
    PROVIDER_READS_PER_REQUEST: String(LIMIT),
    GRAPHQL_MAX_ALIASES: '50',
    INTENT_FRESHNESS_MS: '0',
  },
});

const unknownZiinaIds = (count: number) => Array.from({ length: count }, () => `ziina:${randomUUID()}`);

/** One document that reads every id through an alias, as a client can write it. */
function aliasedReads(ids: readonly string[]): string {
  return `{ ${ids.map((id, index) => `r${index}: paymentIntent(id: "${id}") { id status }`).join(' ')} }`;
}

async function subgraph(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack().app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

/** Provider GETs the emulator served while `work` ran. */
async function ziinaReadsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = stack().ziina.stats.readRequests;
  await work();
  return stack().ziina.stats.readRequests - before;
}

describe('provider reads per request', () => {
  it('reads at most the limit from the provider; beyond it, a clear error for each id', async () => {
    const ids = unknownZiinaIds(LIMIT + 3);
    let answer: Awaited<ReturnType<typeof subgraph>> | undefined;
    const reads = await ziinaReadsDuring(async () => (answer = await subgraph(aliasedReads(ids))));

    expect(reads).toBe(LIMIT);
    const refused = answer?.errors ?? [];
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error.extensions).toMatchObject({ code: 'PROVIDER_READ_LIMIT_EXCEEDED', limit: LIMIT, retryable: false });
    }
    expect(Object.values(answer?.data ?? {}).filter((value) => value === null)).toHaveLength(LIMIT + 3);
  });

  it('remembers a "not found": the same unknown ids again cost the provider nothing', async () => {
    const ids = unknownZiinaIds(LIMIT);
    expect(await ziinaReadsDuring(() => subgraph(aliasedReads(ids)))).toBe(LIMIT);
    expect(await ziinaReadsDuring(() => subgraph(aliasedReads(ids)))).toBe(0);
  });

  it('holds for _entities: a consumer batch of stale references costs at most the limit, once', async () => {
    const representations = unknownZiinaIds(30).map((id) => ({ __typename: 'PaymentIntent', id }));
    const entities =
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on PaymentIntent { id } } }';

    let first: Awaited<ReturnType<typeof subgraph>> | undefined;
    expect(await ziinaReadsDuring(async () => (first = await subgraph(entities, { representations })))).toBe(LIMIT);
    expect(first?.errors).toHaveLength(30 - LIMIT);
    // The remembered ones are skipped; the next five are read: every call learns something new.
    expect(await ziinaReadsDuring(() => subgraph(entities, { representations }))).toBe(LIMIT);
  });

  it('serves the stored copy of an intent beyond the limit instead of failing it', async () => {
    const stored = await createdId(stack(), { provider: 'ZIINA' });
    const ids = [...unknownZiinaIds(LIMIT), stored];
    let answer: Awaited<ReturnType<typeof subgraph>> | undefined;
    const reads = await ziinaReadsDuring(async () => (answer = await subgraph(aliasedReads(ids))));

    expect(reads).toBe(LIMIT);
    expect(answer?.errors).toBeUndefined();
    expect(answer?.data?.[`r${LIMIT}`]).toEqual({ id: stored, status: 'REQUIRES_PAYMENT_INSTRUMENT' });
  });
});
