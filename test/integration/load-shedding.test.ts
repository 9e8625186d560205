import { describe, expect, it } from 'vitest';
import { zopayCreateInput } from '../support/builders.ts';
import { call, postGraphQL, type HttpAnswer } from '../support/http.ts';
import { useStarted, useStoppedAfterEach } from '../support/lifecycle.ts';
import { createThroughGraphQL, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { killSubgraph, spawnSubgraph } from '../support/subgraph-process.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { refusedHandshake } from '../support/subscription-client.ts';
import { createTestSchema } from '../support/test-database.ts';
import { useTestStack } from '../support/test-stack.ts';

// A saturated subgraph answers /graphql at once with 503, Retry-After and a GraphQL-style error,
// reports not ready meanwhile (live all along; health and metrics are never shed), and serves
// again as soon as the load is gone. Two ways to saturate it: requests piling up behind a slow
// provider (the in-flight cap), and an event loop that never catches up (its delay).

const TYPENAME = '{ __typename }';

function expectShed(answer: HttpAnswer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.json).toEqual({
    errors: [
      {
        message: 'The payments subgraph is overloaded; retry shortly',
        extensions: { code: 'SERVICE_OVERLOADED', retryable: true },
      },
    ],
  });
}

/** One request, with how long its answer took. */
async function timed(request: () => Promise<HttpAnswer>): Promise<HttpAnswer & { ms: number }> {
  const startedAt = performance.now();
  const answer = await request();
  return { ...answer, ms: performance.now() - startedAt };
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
};

describe('requests piling up behind a slow provider', () => {
  const MAX_IN_FLIGHT = 4;
  const SLOW_MS = 1_500;
  const stack = useTestStack({ env: { HTTP_MAX_IN_FLIGHT_REQUESTS: String(MAX_IN_FLIGHT) } });
  const url = (path: string) => new URL(path, stack().app.graphqlUrl).href;

  it('sheds /graphql beyond the cap at once, stays live but not ready, and serves again when they finish', async () => {
    stack().zopay.faults.push(...Array.from({ length: MAX_IN_FLIGHT }, () => ({ method: 'POST', delayMs: SLOW_MS })));
    const slow = Array.from({ length: MAX_IN_FLIGHT }, (_, index) =>
      createThroughGraphQL(stack(), zopayCreateInput({}, `shed-slow-${index}`)),
    );
    await expect
      .poll(async () => counterValue(await scrapeMetrics(stack()), 'payments_graphql_requests_in_flight'), {
        interval: 20,
      })
      .toBe(MAX_IN_FLIGHT);

    const graphqlUrl = stack().app.graphqlUrl;
    const shed = await Promise.all([
      ...Array.from({ length: 4 }, (_, index) =>
        timed(() => postGraphQL(graphqlUrl, CREATE_SHED, { input: zopayCreateInput({}, `shed-${index}`) })),
      ),
      ...Array.from({ length: 4 }, () =>
        timed(() => postGraphQL(graphqlUrl, GET_PAYMENT_INTENT, { id: 'zopay:pi_x' })),
      ),
    ]);
    for (const answer of shed) expectShed(answer);
    for (const answer of shed) expect(answer.ms).toBeLessThan(SLOW_MS / 3);
    // A router's WebSocket for subscriptions is refused as well, before the socket exists.
    expect(await refusedHandshake(graphqlUrl)).toEqual({ status: 503, retryAfter: '1' });

    expect((await call(url('/health/live'))).status).toBe(200);
    expect(await call(url('/health/ready'))).toMatchObject({ status: 503, json: { status: 'not ready' } });
    const metrics = await scrapeMetrics(stack());
    // The requests and the WebSocket upgrade.
    expect(counterValue(metrics, 'payments_graphql_requests_shed_total', { reason: 'in_flight' })).toBe(
      shed.length + 1,
    );

    const done: CreatePayload[] = await Promise.all(slow);
    for (const payload of done) expect(payload.userErrors).toEqual([]);
    const recovered = await timed(() => postGraphQL(graphqlUrl, TYPENAME));
    expect([recovered.status, recovered.json]).toEqual([200, { data: { __typename: 'Query' } }]);
    expect((await call(url('/health/ready'))).status).toBe(200);
    console.log(
      `[figures] in-flight cap ${MAX_IN_FLIGHT} full behind a ${SLOW_MS} ms provider: ${shed.length} requests shed ` +
        `with 503 (${summary(shed.map((answer) => answer.ms))}); the next request after them served in ${recovered.ms.toFixed(1)} ms`,
    );
  });
});

/** A create whose answer is not read: only the status matters here. */
const CREATE_SHED = /* GraphQL */ `
  mutation ($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      replayed
    }
  }
`;

describe('an event loop that cannot keep up', () => {
  const STALL_MS = 300;
  const BUSY_FOR_MS = 4_000;
  const MAX_DELAY_MS = 200;
  const schema = useStarted(createTestSchema, (created) => created.drop());
  const killAfterTest = useStoppedAfterEach(killSubgraph);

  it(
    'sheds /graphql while its delay is above the limit, answers health and metrics, and recovers within a second',
    { timeout: 60_000 },
    async () => {
      // Busy in 300 ms stretches with one turn of the loop in between: always serving, always late.
      const running = await killAfterTest(
        spawnSubgraph(process.execPath, ['--import', './test/support/event-loop-stall.ts', 'src/main.ts'], {
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: schema().databaseUrl,
          EVENT_LOOP_MAX_DELAY_MS: String(MAX_DELAY_MS),
          TEST_EVENT_LOOP_STALL_MS: String(STALL_MS),
          TEST_EVENT_LOOP_BUSY_FOR_MS: String(BUSY_FOR_MS),
        }),
      );
      const { graphqlUrl } = (await running.waitForLog((entry) => entry.msg === 'payments subgraph listening')) as {
        graphqlUrl: string;
      };
      const url = (path: string) => new URL(path, graphqlUrl).href;
      expect((await postGraphQL(graphqlUrl, TYPENAME)).status).toBe(200);

      // The overload the stalls cause, logged after the signal: a start on a busy machine can have
      // logged one of its own already (its first requests' work), and been back to normal since.
      const signalledAt = Date.now();
      running.kill('SIGUSR2');
      const overloaded = (await running.waitForLog(
        (entry) => entry.msg === 'overloaded: shedding /graphql requests' && Number(entry.time) >= signalledAt,
        5_000,
      )) as { eventLoopDelayMs: number; reason: string };
      expect(overloaded.reason).toBe('event_loop_delay');
      expect(overloaded.eventLoopDelayMs).toBeGreaterThan(MAX_DELAY_MS);

      const shed: (HttpAnswer & { ms: number })[] = [];
      for (let index = 0; index < 5; index += 1) shed.push(await timed(() => postGraphQL(graphqlUrl, TYPENAME)));
      for (const answer of shed) expectShed(answer);
      // An answer waits only for the turns of the loop it needs (accept, read, answer), each behind
      // one stretch of busy work: never for the load to end.
      for (const answer of shed) expect(answer.ms).toBeLessThan(4 * STALL_MS);
      expect((await call(url('/health/live'))).status).toBe(200);
      expect((await call(url('/health/ready'))).status).toBe(503);
      expect((await call(url('/metrics'))).status).toBe(200);

      await running.waitForLog((entry) => entry.msg === 'event loop stall ended', BUSY_FOR_MS + 10_000);
      const endedAt = performance.now();
      await expect
        .poll(async () => (await postGraphQL(graphqlUrl, TYPENAME)).status, { interval: 20, timeout: 5_000 })
        .toBe(200);
      const recoveryMs = performance.now() - endedAt;
      expect(recoveryMs).toBeLessThan(1_500);
      expect((await call(url('/health/ready'))).status).toBe(200);
      // Log lines reach stdout within the logger's flush interval.
      await running.waitForLog(
        (entry) => entry.msg === 'load back to normal: serving every request' && Number(entry.time) >= signalledAt,
        1_000,
      );
      console.log(
        `[figures] event loop busy in ${STALL_MS} ms stretches: delay measured ${overloaded.eventLoopDelayMs} ms ` +
          `(limit ${MAX_DELAY_MS}); /graphql shed with 503 (${summary(shed.map((answer) => answer.ms))}); ` +
          `served again ${recoveryMs.toFixed(0)} ms after the load stopped`,
      );
    },
  );
});
