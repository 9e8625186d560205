import { describe, expect, it } from 'vitest';
import { createInput, uniqueId } from '../support/builders.ts';
import { emulatorWireIntent, providerIdOf } from '../support/emulator-admin.ts';
import {
  createdId,
  createThroughGraphQL,
  LIST_PAYMENT_INTENTS,
  listPage,
  readStatus,
  walkListing,
  type ListingPage,
  idempotencyConflictAt,
} from '../support/operations.ts';
import { useTestStack, type GraphQLAnswer } from '../support/test-stack.ts';

const stack = useTestStack();
const cmid = (label: string) => uniqueId(`listing-${label}`);

/** Creates intents one after the other (so that their listing order is their creation order). */
async function createInOrder(count: number, externalRef: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push(
      await createdId(stack(), {
        provider: index % 2 === 0 ? 'ZOPAY' : 'ZIINA',
        clientMutationId: cmid('order'),
        externalRef,
      }),
    );
  }
  return ids;
}

function expectConsistentPageInfo(page: ListingPage): void {
  expect(page.pageInfo.hasPreviousPage).toBe(false);
  expect(page.pageInfo.startCursor).toBe(page.edges.at(0)?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
}

describe('externalRef', () => {
  it('is accepted for Ziina, returned on PaymentIntent.externalRef and never sent to Ziina', async () => {
    const fields = {
      amountMinor: 1230,
      currencyCode: 'AED',
      message: 'Order 12',
      successUrl: 'https://shop.example/ok',
    };
    const withRef = await createThroughGraphQL(
      stack(),
      createInput({ provider: 'ZIINA', clientMutationId: cmid('ziina-ref'), externalRef: 'order-12', fields }),
    );
    const withoutRef = await createThroughGraphQL(
      stack(),
      createInput({ provider: 'ZIINA', clientMutationId: cmid('ziina-noref'), fields }),
    );

    expect(withRef.userErrors).toEqual([]);
    expect(withRef.paymentIntent!.externalRef).toBe('order-12');
    expect(withoutRef.paymentIntent!.externalRef).toBeNull();
    // The details are Ziina's answer, the same with or without a reference (but for the ids).
    const { operationId: _withRef, redirectUrl: _pageWithRef, ...detailsWithRef } = withRef.paymentIntent!.details;
    const {
      operationId: _withoutRef,
      redirectUrl: _pageWithoutRef,
      ...detailsWithoutRef
    } = withoutRef.paymentIntent!.details;
    expect(detailsWithRef).toEqual(detailsWithoutRef);
    expect(detailsWithRef).toMatchObject({
      __typename: 'ZiinaPaymentIntentDetails',
      amountMinor: 1230,
      currencyCode: 'AED',
      message: 'Order 12',
    });
    const atZiina = await emulatorWireIntent(stack().ziina.baseUrl, withRef.paymentIntent!.providerId);
    expect(JSON.stringify(atZiina)).not.toContain('order-12');

    // A read asks Ziina (freshness 0 in this stack), which knows no reference: the stored one is kept.
    const reads = stack().ziina.stats.readRequests;
    expect(await readStatus(stack(), withRef.paymentIntent!.id)).toMatchObject({
      externalRef: 'order-12',
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
    });
    expect(stack().ziina.stats.readRequests).toBe(reads + 1);
  });

  it("is Zopay's own field for Zopay, returned on the intent and in its details", async () => {
    const payload = await createThroughGraphQL(
      stack(),
      createInput({ provider: 'ZOPAY', clientMutationId: cmid('zopay-ref'), externalRef: 'order-13' }),
    );
    expect(payload.paymentIntent).toMatchObject({ externalRef: 'order-13', details: { externalRef: 'order-13' } });
    expect(await readStatus(stack(), payload.paymentIntent!.id)).toMatchObject({ externalRef: 'order-13' });
  });

  it('is part of a Ziina create: another externalRef under the same clientMutationId is a conflict, a replay gives it back', async () => {
    const clientMutationId = cmid('ziina-fingerprint');
    const first = await createThroughGraphQL(
      stack(),
      createInput({ provider: 'ZIINA', clientMutationId, externalRef: 'order-a' }),
    );
    const minted = stack().ziina.stats.intentsCreated;

    const replay = await createThroughGraphQL(
      stack(),
      createInput({ provider: 'ZIINA', clientMutationId, externalRef: 'order-a' }),
    );
    expect(replay.replayed).toBe(true);
    expect(replay.paymentIntent).toEqual(first.paymentIntent);
    expect(replay.paymentIntent!.externalRef).toBe('order-a');

    for (const externalRef of ['order-b', undefined]) {
      const conflict = await createThroughGraphQL(
        stack(),
        createInput({ provider: 'ZIINA', clientMutationId, ...(externalRef !== undefined && { externalRef }) }),
      );
      expect(conflict.paymentIntent).toBeNull();
      expect(conflict.userErrors).toEqual(idempotencyConflictAt('ZIINA'));
    }
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
    expect((await listPage(stack(), { filter: { externalRef: 'order-b' } })).edges).toEqual([]);
    expect((await listPage(stack(), { filter: { externalRef: 'order-a' } })).edges.map((edge) => edge.node.id)).toEqual(
      [first.paymentIntent!.id],
    );
  });
});

describe('paymentIntents filters', () => {
  it('finds an externalRef across both providers, newest first, and nothing for an unknown one', async () => {
    const zopay = await createdId(stack(), {
      provider: 'ZOPAY',
      clientMutationId: cmid('cross'),
      externalRef: 'cross-1',
    });
    await createdId(stack(), { provider: 'ZIINA', clientMutationId: cmid('cross'), externalRef: 'cross-other' });
    const ziina = await createdId(stack(), {
      provider: 'ZIINA',
      clientMutationId: cmid('cross'),
      externalRef: 'cross-1',
    });

    const page = await listPage(stack(), { filter: { externalRef: 'cross-1' } });
    expect(page.edges.map((edge) => edge.node)).toEqual([
      {
        id: ziina,
        provider: 'ZIINA',
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        providerStatus: 'requires_payment_instrument',
        externalRef: 'cross-1',
      },
      {
        id: zopay,
        provider: 'ZOPAY',
        status: 'REQUIRES_PAYMENT_INSTRUMENT',
        providerStatus: 'awaiting_payment',
        externalRef: 'cross-1',
      },
    ]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expectConsistentPageInfo(page);

    const empty = await listPage(stack(), { filter: { externalRef: 'no-such-ref' } });
    expect(empty).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('filters by provider, alone and with an externalRef', async () => {
    const ids = await createInOrder(4, 'by-provider');
    const zopayOnly = await listPage(stack(), { filter: { externalRef: 'by-provider', provider: 'ZOPAY' } });
    expect(zopayOnly.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[0]]);

    const { ids: everyZiina, pages } = await walkListing(stack(), { provider: 'ZIINA' }, 100);
    expect(
      pages.flatMap((page) => page.edges.map((edge) => edge.node.provider)).every((provider) => provider === 'ZIINA'),
    ).toBe(true);
    expect(everyZiina).toEqual(expect.arrayContaining([ids[1], ids[3]]));
    expect(everyZiina).not.toContain(ids[0]);
  });

  it('filters by the status last seen: a change at the provider shows once a read brought it', async () => {
    const [zopay, ziina, untouched] = await createInOrder(3, 'by-status');
    expect(stack().zopay.setStatus(providerIdOf(zopay!), 'completed')).toBe(true);
    expect(stack().ziina.setStatus(providerIdOf(ziina!), 'failed')).toBe(true);
    const completed = () => listPage(stack(), { filter: { externalRef: 'by-status', status: 'COMPLETED' } });
    // No webhook in this stack: the store has not seen the change yet.
    expect((await completed()).edges).toEqual([]);

    expect(await readStatus(stack(), zopay!)).toMatchObject({ status: 'COMPLETED', providerStatus: 'completed' });
    expect(await readStatus(stack(), ziina!)).toMatchObject({ status: 'FAILED', providerStatus: 'failed' });

    expect((await completed()).edges.map((edge) => edge.node)).toEqual([
      { id: zopay, provider: 'ZOPAY', status: 'COMPLETED', providerStatus: 'completed', externalRef: 'by-status' },
    ]);
    const failed = await listPage(stack(), { filter: { status: 'FAILED', provider: 'ZIINA' } });
    expect(failed.edges.map((edge) => edge.node.id)).toContain(ziina);
    const waiting = await listPage(stack(), {
      filter: { externalRef: 'by-status', status: 'REQUIRES_PAYMENT_INSTRUMENT' },
    });
    expect(waiting.edges.map((edge) => edge.node.id)).toEqual([untouched]);
    expect(
      (await listPage(stack(), { filter: { externalRef: 'by-status', status: 'COMPLETED', provider: 'ZIINA' } })).edges,
    ).toEqual([]);
  });
});

describe('paymentIntents pages', () => {
  it('walks pages of 2 by endCursor: every intent exactly once, newest first', async () => {
    const ids = await createInOrder(7, 'walk');
    const { pages, ids: listed } = await walkListing(stack(), { externalRef: 'walk' }, 2);

    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 2, 1]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, true, false]);
    pages.forEach(expectConsistentPageInfo);
    expect(listed).toEqual([...ids].reverse());
    const cursors = pages.flatMap((page) => page.edges.map((edge) => edge.cursor));
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('keeps cursors stable while intents arrive between pages', async () => {
    const ids = await createInOrder(5, 'stable');
    const seen: string[] = [];
    let page = await listPage(stack(), { filter: { externalRef: 'stable' }, first: 2 });
    for (;;) {
      seen.push(...page.edges.map((edge) => edge.node.id));
      await createdId(stack(), { provider: 'ZIINA', clientMutationId: cmid('newcomer'), externalRef: 'stable' });
      if (!page.pageInfo.hasNextPage) break;
      page = await listPage(stack(), { filter: { externalRef: 'stable' }, first: 2, after: page.pageInfo.endCursor! });
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('gives 20 intents by default, and up to 100 when asked', async () => {
    const created = await Promise.all(
      Array.from({ length: 21 }, (_, index) =>
        createdId(stack(), {
          provider: index % 2 === 0 ? 'ZIINA' : 'ZOPAY',
          clientMutationId: cmid('default'),
          externalRef: 'default-size',
        }),
      ),
    );
    const byDefault = await listPage(stack(), { filter: { externalRef: 'default-size' } });
    expect(byDefault.edges).toHaveLength(20);
    expect(byDefault.pageInfo.hasNextPage).toBe(true);
    const rest = await listPage(stack(), {
      filter: { externalRef: 'default-size' },
      after: byDefault.pageInfo.endCursor!,
    });
    expect(rest.edges).toHaveLength(1);
    expect([...byDefault.edges, ...rest.edges].map((edge) => edge.node.id).sort()).toEqual([...created].sort());

    const widest = await listPage(stack(), { first: 100 });
    expect(widest.edges.length).toBeGreaterThan(21);
    expect(widest.edges.length).toBeLessThanOrEqual(100);
    expect((await listPage(stack(), { filter: { externalRef: 'default-size' }, first: 1 })).edges).toHaveLength(1);
  });
});

describe('paymentIntents with invalid arguments', () => {
  const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  /** Every cursor of the whole listing, without reading any node (so without asking any provider). */
  async function everyPosition(): Promise<string[]> {
    const cursors: string[] = [];
    let after: string | null = null;
    do {
      const answer: GraphQLAnswer<{ paymentIntents: ListingPage }> = await stack().graphql(
        'query($after: String) { paymentIntents(first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page: ListingPage = answer.data!.paymentIntents;
      cursors.push(...page.edges.map((edge) => edge.cursor));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
    return cursors;
  }

  async function expectBadUserInput(
    variables: Record<string, unknown>,
    argument: 'first' | 'after',
    message: string,
  ): Promise<void> {
    const answer = await stack().graphql(LIST_PAYMENT_INTENTS, variables);
    expect(answer.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message,
        path: ['paymentIntents'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument }),
      }),
    ]);
  }

  it.each([0, 101, -1, 1_000_000])('refuses first=%i with BAD_USER_INPUT', async (first) => {
    const before = await everyPosition();
    const providerStats = [{ ...stack().zopay.stats }, { ...stack().ziina.stats }];
    await expectBadUserInput({ first }, 'first', 'first must be between 1 and 100');
    await expectBadUserInput(
      { first, filter: { provider: 'ZIINA' }, after: base64url('pi1:1') },
      'first',
      'first must be between 1 and 100',
    );
    // Refused before any read: no provider was asked anything.
    expect([stack().zopay.stats, stack().ziina.stats]).toEqual(providerStats);
    expect(await everyPosition()).toEqual(before);
  });

  it.each([
    ['garbage', 'abc'],
    ['empty', ''],
    ['position 0', base64url('pi1:0')],
    ['negative position', base64url('pi1:-5')],
    ['another prefix', base64url('x:5')],
    ['no prefix', base64url('5')],
    ['standard base64 with padding', base64('pi1:5')],
    ['an overlong position', base64url(`pi1:${'9'.repeat(25)}`)],
    ['non-ASCII', '☃'],
  ])('refuses a forged after (%s) with BAD_USER_INPUT', async (_label, after) => {
    const before = await everyPosition();
    const providerStats = [{ ...stack().zopay.stats }, { ...stack().ziina.stats }];
    await expectBadUserInput({ after }, 'after', 'after is not a cursor of this listing');
    await expectBadUserInput(
      { after, first: 5, filter: { provider: 'ZOPAY' } },
      'after',
      'after is not a cursor of this listing',
    );
    expect([stack().zopay.stats, stack().ziina.stats]).toEqual(providerStats);
    expect(await everyPosition()).toEqual(before);
  });

  it('accepts the cursors it issued', async () => {
    await createInOrder(3, 'own-cursor');
    const first = await listPage(stack(), { filter: { externalRef: 'own-cursor' }, first: 1 });
    const next = await listPage(stack(), {
      filter: { externalRef: 'own-cursor' },
      first: 100,
      after: first.edges[0]!.cursor,
    });
    expect(next.edges).toHaveLength(2);
  });
});

describe('paymentIntents on PGlite', () => {
  const embedded = useTestStack({ store: 'pglite' });

  it('lists what was created, newest first, with filters and pages, past the 10th intent', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const smoke = index % 3 !== 2;
      ids.push(
        await createdId(embedded(), {
          provider: index % 2 === 0 ? 'ZOPAY' : 'ZIINA',
          clientMutationId: `pglite-${index}`,
          ...(smoke && { externalRef: 'smoke' }),
        }),
      );
    }
    const newestFirst = [...ids].reverse();

    const all = await listPage(embedded(), {});
    expect(all.edges.map((edge) => edge.node.id)).toEqual(newestFirst);
    expect(all.edges.map((edge) => edge.node.externalRef)).toEqual(
      newestFirst.map((id) => (ids.indexOf(id) % 3 !== 2 ? 'smoke' : null)),
    );
    const smokeAtZiina = newestFirst.filter((id) => id.startsWith('ziina:') && ids.indexOf(id) % 3 !== 2);
    expect(
      (await listPage(embedded(), { filter: { externalRef: 'smoke', provider: 'ZIINA' } })).edges.map(
        (edge) => edge.node.id,
      ),
    ).toEqual(smokeAtZiina);
    expect((await walkListing(embedded(), {}, 5)).ids).toEqual(newestFirst);
  });
});
