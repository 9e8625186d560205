import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { providerIdOf } from '../support/emulator-admin.ts';
import { createdId, readStatus } from '../support/operations.ts';
import { useTestStack, type TestStack } from '../support/test-stack.ts';

// Concurrent reads of one intent past the freshness window share the provider GET already sent for
// it, as long as that GET is younger than the window (docs/decisions/freshness-window.md). The
// first GET is held at the emulator so that every other read arrives while it is in flight.

const WINDOW_MS = 1_000;
const READERS = 10;
const HELD_MS = 400;

/**
 * A stored Zopay intent whose copy is past the window, confirming at the provider since it was stored
 * (a status that is not terminal, so every read past the window still asks the provider).
 */
async function staleConfirmingIntent(stack: TestStack): Promise<string> {
  const id = await createdId(stack, { provider: 'ZOPAY', clientMutationId: `shared-${randomUUID()}` });
  stack.zopay.setStatus(providerIdOf(id), 'confirming');
  await sleep(WINDOW_MS + 100);
  return id;
}

/** Reads the intent from READERS clients at once; the provider GETs they cost and what each was answered. */
async function readTogether(stack: TestStack, id: string): Promise<{ gets: number; statuses: string[] }> {
  const before = stack.zopay.stats.readRequests;
  stack.zopay.faults.push({ method: 'GET', pathIncludes: providerIdOf(id), delayMs: HELD_MS });
  const answers = await Promise.all(Array.from({ length: READERS }, () => readStatus(stack, id)));
  return { gets: stack.zopay.stats.readRequests - before, statuses: answers.map((answer) => answer!.status) };
}

describe(`reads past a freshness window of ${WINDOW_MS} ms`, () => {
  const stack = useTestStack({ env: { INTENT_FRESHNESS_MS: String(WINDOW_MS) } });

  it(`costs ${READERS} concurrent readers of one intent one provider GET, and each sees what it answered`, async () => {
    const id = await staleConfirmingIntent(stack());
    const { gets, statuses } = await readTogether(stack(), id);
    expect(statuses).toEqual(Array.from({ length: READERS }, () => 'PENDING'));
    expect(gets).toBe(1);
  });

  it('sends its own GET when the one in flight was sent longer ago than the window', async () => {
    const id = await staleConfirmingIntent(stack());
    const before = stack().zopay.stats.readRequests;
    stack().zopay.faults.push({ method: 'GET', pathIncludes: providerIdOf(id), delayMs: WINDOW_MS + 500 });
    const first = readStatus(stack(), id);
    await sleep(WINDOW_MS + 100);
    const second = await readStatus(stack(), id);
    expect(second?.status).toBe('PENDING');
    expect(stack().zopay.stats.readRequests - before).toBe(2);
    expect((await first)?.status).toBe('PENDING');
  });
});

describe('reads with no freshness window (INTENT_FRESHNESS_MS=0)', () => {
  const stack = useTestStack({ env: { INTENT_FRESHNESS_MS: '0' } });

  it(`sends one provider GET per reader: each must see what the provider says after it asked`, async () => {
    const id = await staleConfirmingIntent(stack());
    const { gets, statuses } = await readTogether(stack(), id);
    expect(statuses).toEqual(Array.from({ length: READERS }, () => 'PENDING'));
    expect(gets).toBe(READERS);
  });
});
