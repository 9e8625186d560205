import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { ProviderBulkheads } from '../../../../src/providers/http/provider-bulkheads.ts';
import { ProviderUnavailableError } from '../../../../src/providers/provider-errors.ts';

const ZOPAY = { id: 'ZOPAY', displayName: 'Zopay' };
const ZIINA = { id: 'ZIINA', displayName: 'Ziina' };

/** A send the test finishes when it wants, and whether it ever started. */
function heldSend() {
  const answer = Promise.withResolvers<string>();
  const held = {
    started: false,
    finish: () => answer.resolve('answered'),
    run: (): Promise<string> => {
      held.started = true;
      return answer.promise;
    },
  };
  return held;
}

const noDeadline = () => new AbortController().signal;

describe('ProviderBulkheads', () => {
  it('runs up to the limit, queues up to the queue, and refuses the next call at once without running it', async () => {
    const bulkheads = new ProviderBulkheads({ maxConcurrentCalls: 1, maxQueuedCalls: 1 });
    const [running, queued, refused] = [heldSend(), heldSend(), heldSend()];
    const first = bulkheads.call(ZOPAY, noDeadline(), running.run);
    const second = bulkheads.call(ZOPAY, noDeadline(), queued.run);
    expect(bulkheads.load()).toEqual([{ provider: 'ZOPAY', running: 1, queued: 1 }]);

    const error = await bulkheads.call(ZOPAY, noDeadline(), refused.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'saturated', requestSent: false, mayHaveActed: false });
    expect(refused.started).toBe(false);

    running.finish();
    await expect(first).resolves.toBe('answered');
    await expect.poll(() => queued.started).toBe(true);
    queued.finish();
    await expect(second).resolves.toBe('answered');
    expect(bulkheads.load()).toEqual([{ provider: 'ZOPAY', running: 0, queued: 0 }]);
  });

  it('gives each provider its own bulkhead', async () => {
    const bulkheads = new ProviderBulkheads({ maxConcurrentCalls: 1, maxQueuedCalls: 0 });
    const zopay = heldSend();
    const call = bulkheads.call(ZOPAY, noDeadline(), zopay.run);
    await expect(bulkheads.call(ZIINA, noDeadline(), () => Promise.resolve('ziina answered'))).resolves.toBe(
      'ziina answered',
    );
    zopay.finish();
    await call;
  });

  it('fails a call still queued at its deadline as saturated, then never runs it', async () => {
    const bulkheads = new ProviderBulkheads({ maxConcurrentCalls: 1, maxQueuedCalls: 1 });
    const [running, queued] = [heldSend(), heldSend()];
    const first = bulkheads.call(ZOPAY, noDeadline(), running.run);

    const queuedAt = performance.now();
    const error = await bulkheads.call(ZOPAY, AbortSignal.timeout(100), queued.run).catch((caught: unknown) => caught);
    expect(performance.now() - queuedAt).toBeLessThan(1_000);
    expect(error).toMatchObject({ reason: 'saturated', requestSent: false });

    running.finish();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(queued.started).toBe(false);
    expect(bulkheads.load()).toEqual([{ provider: 'ZOPAY', running: 0, queued: 0 }]);
  });

  it("runs each call in its own request's async context, a queued one too, though another call's end starts it", async () => {
    const requests = new AsyncLocalStorage<string>();
    const bulkheads = new ProviderBulkheads({ maxConcurrentCalls: 1, maxQueuedCalls: 1 });
    const [running, queued] = [heldSend(), heldSend()];
    const seenBy = (name: string, held: ReturnType<typeof heldSend>) => () => {
      seen.push([name, requests.getStore()]);
      return held.run();
    };
    const seen: [string, string | undefined][] = [];
    const first = requests.run('request 1', () => bulkheads.call(ZOPAY, noDeadline(), seenBy('running', running)));
    const second = requests.run('request 2', () => bulkheads.call(ZOPAY, noDeadline(), seenBy('queued', queued)));

    requests.run('request 1', () => running.finish());
    await first;
    await expect.poll(() => queued.started).toBe(true);
    queued.finish();
    await second;
    expect(seen).toEqual([
      ['running', 'request 1'],
      ['queued', 'request 2'],
    ]);
  });
});
