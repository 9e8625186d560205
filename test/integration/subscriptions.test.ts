import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { createBehindTheSubgraph, providerIdOf } from '../support/emulator-admin.ts';
import { postGraphQL } from '../support/http.ts';
import { CREATE_PAYMENT_INTENT, createThroughGraphQL, type CreatePayload } from '../support/operations.ts';
import {
  subscriptionClient,
  refusedHandshake,
  webSocketUrl,
  type SubscriptionClient,
  type WatchedSubscription,
} from '../support/subscription-client.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { startTestStack, useTestStack, type TestStack } from '../support/test-stack.ts';
import { registerSubgraphWebhook } from '../support/ziina-webhook-client.ts';

// paymentIntentUpdated over GraphQL over WebSocket on the subgraph's own /graphql, against the
// emulators and a real store: what a router in passthrough mode sees.

const WEBHOOK_SECRET = 'subscriptions-test-webhook-secret-0123456789';
const ROUTER_SECRET = 'subscriptions-test-router-secret-0123456789';

const clients: SubscriptionClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

function connect(stack: TestStack, headers: Record<string, string> = {}): SubscriptionClient {
  const client = subscriptionClient(stack.app.graphqlUrl, headers);
  clients.push(client);
  return client;
}

async function createdZiinaId(stack: TestStack): Promise<string> {
  const created = await createThroughGraphQL(stack, ziinaCreateInput({}, `sub-${randomUUID()}`));
  return created.paymentIntent!.id;
}

/** The log entries of one message. */
function logged(stack: TestStack, message: string): Record<string, unknown>[] {
  return stack.log.entries().filter((entry) => entry.msg === message);
}

/** The subscription ended with exactly one limit error of this scope. */
async function expectRefused(watched: WatchedSubscription, message: string, scope: 'connection' | 'process') {
  await watched.done;
  expect(watched.events).toEqual([]);
  expect(watched.errors).toEqual([
    expect.objectContaining({
      message: expect.stringContaining(message),
      extensions: expect.objectContaining({ code: 'SUBSCRIPTION_LIMIT_REACHED', scope }),
    }),
  ]);
}

describe.each(['postgres', 'pglite'] as const)('subscriptions on the %s store, one process', (store) => {
  const stack = useTestStack(
    {
      store,
      env: {
        ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET,
        INTENT_FRESHNESS_MS: '600000',
        SUBSCRIPTIONS_MAX_PER_CONNECTION: '3',
        SUBSCRIPTIONS_MAX_PER_PROCESS: '5',
      },
    },
    (started) => registerSubgraphWebhook(started, WEBHOOK_SECRET),
  );

  it('a Ziina intent: its current state, then its signed completed webhook within a second, then completion', async () => {
    const id = await createdZiinaId(stack());
    const watched = connect(stack()).watch(id);
    await watched.eventCount(1);
    expect(watched.events[0]).toMatchObject({ id, status: 'REQUIRES_PAYMENT_INSTRUMENT' });

    // From the moment the emulator sends the signed webhook: its delivery, the store, the announcement, the push.
    const sentAt = performance.now();
    expect(stack().ziina.setStatus(providerIdOf(id), 'completed')).toBe(true);
    await watched.done;

    expect(watched.errors).toEqual([]);
    expect(watched.events.map((event) => event?.status)).toEqual(['REQUIRES_PAYMENT_INSTRUMENT', 'COMPLETED']);
    const latencyMs = watched.arrivals[1]! - sentAt;
    expect(latencyMs).toBeLessThan(1_000);
    console.log(`[figures] ${store}: Ziina webhook sent → subscriber's event ${latencyMs.toFixed(1)} ms (one process)`);
  });

  it('an intent already terminal: one event, then completion', async () => {
    const id = await createdZiinaId(stack());
    stack().ziina.setStatus(providerIdOf(id), 'failed');
    await stack().ziina.webhooks.settled();
    const watched = connect(stack()).watch(id);
    await watched.done;
    expect(watched.events.map((event) => event?.status)).toEqual(['FAILED']);
  });

  it.each([
    ['unknown at its provider', `ziina:${randomUUID()}`],
    ['of an unknown provider', 'stripe:pi_123'],
    ['malformed', 'not an id'],
  ])('an id %s: one null event, then completion', async (_what, id) => {
    const watched = connect(stack()).watch(id);
    await watched.done;
    expect(watched.errors).toEqual([]);
    expect(watched.events).toEqual([null]);
  });

  it.each([
    ['does not parse', 'subscription { paymentIntentUpdated(id: "x") {', 'GRAPHQL_PARSE_FAILED'],
    [
      'asks for a field that does not exist',
      'subscription { paymentIntentUpdated(id: "x") { nope } }',
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'has more aliases than the limit',
      `subscription { paymentIntentUpdated(id: "x") { ${Array.from({ length: 20 }, (_, n) => `a${n}: id`).join(' ')} } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'holds two operations and names neither',
      'subscription A { paymentIntentUpdated(id: "x") { id } } subscription B { paymentIntentUpdated(id: "y") { id } }',
      'OPERATION_RESOLUTION_FAILURE',
    ],
    [
      'lacks a required variable',
      'subscription ($id: ID!, $withStatus: Boolean!) { paymentIntentUpdated(id: $id) { id status @include(if: $withStatus) } }',
      'BAD_USER_INPUT',
    ],
  ])(
    'a document that %s is refused with its error, and the connection serves the next one',
    async (_what, query, code) => {
      const client = connect(stack());
      const refused = client.watch('x', query);
      await refused.done;
      expect(refused.events).toEqual([]);
      expect(refused.errors).toEqual([expect.objectContaining({ extensions: { code } })]);
      const next = client.watch('not an id');
      await next.done;
      expect(next.events).toEqual([null]);
      expect(client.closeCodes).toEqual([]);
    },
  );

  it('per connection and per process limits refuse the next subscription with a clear error, and free up as subscriptions end', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => createdZiinaId(stack())));
    const first = connect(stack());
    const held = ids.slice(0, 3).map((id) => first.watch(id));
    await Promise.all(held.map((watched) => watched.eventCount(1)));
    await expectRefused(first.watch(ids[3]!), 'at most 3 subscriptions', 'connection');

    const second = connect(stack());
    const more = [second.watch(ids[0]!), second.watch(ids[1]!)];
    await Promise.all(more.map((watched) => watched.eventCount(1)));
    await expectRefused(second.watch(ids[2]!), 'limit of 5 subscriptions', 'process');

    held[0]!.cancel();
    await held[0]!.done;
    const again = second.watch(ids[2]!);
    await again.eventCount(1);
    expect(again.errors).toEqual([]);
  });
});

describe('a Ziina intent whose webhook deliveries are lost', () => {
  // Every webhook intent is refreshed from its provider once per fallback lease, twelve windows.
  const WINDOW_MS = 1_000;
  const FALLBACK_MS = 12 * WINDOW_MS;
  const stack = useTestStack(
    { env: { ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET, INTENT_FRESHNESS_MS: String(WINDOW_MS) } },
    // Ziina still signs with the secret from before a rotation: every delivery is refused with 401.
    (started) => registerSubgraphWebhook(started, 'ziina-secret-before-the-rotation-0123456789'),
  );

  it(
    'is refreshed from Ziina once per fallback lease: its subscriber gets the change within that lease, then completion',
    { timeout: 3 * FALLBACK_MS },
    async () => {
      const id = await createdZiinaId(stack());
      const readsBefore = stack().ziina.stats.readRequests;
      const watched = connect(stack()).watch(id);
      await watched.eventCount(1);
      // The first refresh follows the first subscriber: a delivery may have been lost already.
      await expect.poll(() => stack().ziina.stats.readRequests - readsBefore).toBe(1);
      const firstRefreshAt = performance.now();

      expect(stack().ziina.setStatus(providerIdOf(id), 'completed')).toBe(true);
      await watched.done;
      const seenAfterMs = watched.arrivals[1]! - firstRefreshAt;

      expect(watched.errors).toEqual([]);
      expect(watched.events.map((event) => event?.status)).toEqual(['REQUIRES_PAYMENT_INSTRUMENT', 'COMPLETED']);
      const metrics = await scrapeMetrics(stack());
      expect(
        counterValue(metrics, 'payments_webhooks_total', { provider: 'ZIINA', result: 'unauthorized' }),
      ).toBeGreaterThanOrEqual(1);
      expect(counterValue(metrics, 'payments_webhooks_total', { provider: 'ZIINA', result: 'applied' })).toBe(0);
      // One GET per fallback lease, not one per window, and the second brought the change.
      expect(stack().ziina.stats.readRequests - readsBefore).toBe(2);
      expect(seenAfterMs).toBeGreaterThan(FALLBACK_MS - 1_000);
      // The lease, a tick (200 ms), the GET, the announcement and the push, on a loaded machine.
      expect(seenAfterMs).toBeLessThan(FALLBACK_MS + 2_000);
      console.log(
        `[figures] Ziina, deliveries refused, window ${WINDOW_MS} ms: change seen ${seenAfterMs.toFixed(0)} ms after the first refresh (fallback lease ${FALLBACK_MS} ms)`,
      );
    },
  );
});

describe('the limits of a request, over the socket', () => {
  const MAX_MESSAGE_BYTES = 4_096;
  const stack = useTestStack({
    env: {
      GRAPHQL_MAX_COST: '10',
      GRAPHQL_INTROSPECTION: 'false',
      HTTP_MAX_BODY_BYTES: String(MAX_MESSAGE_BYTES),
      INTENT_FRESHNESS_MS: '600000',
    },
  });

  /** An open graphql-transport-ws socket past its connection_ack: its next message, and the close code it ends with. */
  async function acknowledgedSocket(): Promise<{
    socket: WebSocket;
    nextMessage: () => Promise<unknown>;
    closed: Promise<number>;
  }> {
    const socket = new WebSocket(webSocketUrl(stack().app.graphqlUrl), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const nextMessage = () =>
      new Promise<unknown>((resolve) =>
        // ws hands a message as one Buffer (its default binaryType, nodebuffer).
        socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')))),
      );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect(await nextMessage()).toEqual({ type: 'connection_ack' });
    return { socket, nextMessage, closed };
  }

  /** A graphql-ws ping whose JSON is exactly `bytes` long. */
  function pingOfSize(bytes: number): string {
    const empty = JSON.stringify({ type: 'ping', payload: { padding: '' } });
    return JSON.stringify({ type: 'ping', payload: { padding: 'x'.repeat(bytes - empty.length) } });
  }

  it('refuses a query or a mutation with OPERATION_TYPE_NOT_SUPPORTED before anything runs, and serves a subscription beside them', async () => {
    const client = connect(stack());
    const introspection = client.watch('x', '{ __schema { queryType { name } } }');
    const create = client.watch(
      `sub-${randomUUID()}`,
      'mutation ($id: String!) { createPaymentIntent(input: { clientMutationId: $id, provider: { zopay: { amount: "10.50", currencies: ["USDT"] } } }) { paymentIntent { id } } }',
    );
    const beside = client.watch('not an id');
    await Promise.all([introspection.done, create.done, beside.done]);
    for (const [refused, operationType] of [
      [introspection, 'query'],
      [create, 'mutation'],
    ] as const) {
      expect(refused.events).toEqual([]);
      expect(refused.errors).toEqual([
        {
          message:
            'This WebSocket serves subscriptions only: send queries and mutations as HTTP POST requests to /graphql',
          extensions: { code: 'OPERATION_TYPE_NOT_SUPPORTED', operationType, retryable: false },
        },
      ]);
    }
    expect(stack().zopay.stats.createRequests).toBe(0);
    expect(beside.events).toEqual([null]);
    expect(client.closeCodes).toEqual([]);
  });

  it('refuses a subscription above GRAPHQL_MAX_COST with OPERATION_COST_EXCEEDED, as over HTTP', async () => {
    const amounts = Array.from({ length: 15 }, (_, n) => `a${n}: amount { amount }`).join(' ');
    const query = `subscription ($id: ID!) { paymentIntentUpdated(id: $id) { ${amounts} } }`;
    const watched = connect(stack()).watch('not an id', query);
    await watched.done;
    expect(watched.events).toEqual([]);
    expect(watched.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'OPERATION_COST_EXCEEDED', cost: 16, maxCost: 10 } }),
    ]);
    const overHttp = await stack().graphql(`query ($id: ID!) { paymentIntent(id: $id) { ${amounts} } }`, { id: 'x' });
    expect(overHttp.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'OPERATION_COST_EXCEEDED', cost: 16, maxCost: 10 } }),
    ]);
  });

  it('takes a message of HTTP_MAX_BODY_BYTES, and closes the socket with 1009 (message too big) at one byte more, with a warning in the log and nothing printed', async () => {
    const printed = vi.spyOn(console, 'error');
    const errorLines = () =>
      stack()
        .log.entries()
        .filter((entry) => Number(entry.level) >= 50);
    const errorsBefore = errorLines().length;
    const { socket, nextMessage, closed } = await acknowledgedSocket();
    socket.send(pingOfSize(MAX_MESSAGE_BYTES));
    expect(await nextMessage()).toMatchObject({ type: 'pong' });
    const answered = nextMessage().then(() => 'answered');
    socket.send(pingOfSize(MAX_MESSAGE_BYTES + 1));
    expect(await Promise.race([closed, answered])).toBe(1009);

    // The client's error, told as such: not an error line, not a stack printed outside the log.
    expect(logged(stack(), 'WebSocket closed on an error of its client')).toEqual([
      expect.objectContaining({ level: 40, wsCode: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' }),
    ]);
    expect(errorLines()).toHaveLength(errorsBefore);
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });
});

describe('what a subscription leaves in /metrics and the log', () => {
  const stack = useTestStack({ env: { ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET, INTENT_FRESHNESS_MS: '600000' } }, (s) =>
    registerSubgraphWebhook(s, WEBHOOK_SECRET),
  );

  it('counts active subscriptions, events pushed and the notification lag; logs one line at start and one at end', async () => {
    const id = await createdZiinaId(stack());
    const watched = connect(stack()).watch(id);
    await watched.eventCount(1);
    const during = await scrapeMetrics(stack());
    expect(counterValue(during, 'payments_subscriptions_active')).toBe(1);

    stack().ziina.setStatus(providerIdOf(id), 'completed');
    await watched.done;
    const after = await scrapeMetrics(stack());
    expect(counterValue(after, 'payments_subscriptions_active')).toBe(0);
    expect(counterValue(after, 'payments_subscription_events_total')).toBe(2);
    expect(counterValue(after, 'payments_subscription_notification_lag_seconds_count')).toBe(1);

    const started = logged(stack(), 'subscription started');
    const ended = logged(stack(), 'subscription ended');
    expect(started).toEqual([expect.objectContaining({ paymentIntentId: id })]);
    expect(ended).toEqual([expect.objectContaining({ paymentIntentId: id, reason: 'finished', events: 2 })]);
    expect(stack().log.text).not.toContain(WEBHOOK_SECRET);
  });

  it('ends a subscription whose first read fails at the provider with PROVIDER_UNAVAILABLE, as a query would', async () => {
    const id = await createBehindTheSubgraph('ZIINA', stack().ziina);
    stack().ziina.faults.push(...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503 })));
    const watched = connect(stack()).watch(id);
    await watched.done;
    expect(watched.events).toEqual([]);
    expect(watched.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', retryable: true }),
      }),
    ]);
    expect(logged(stack(), 'subscription ended').at(-1)).toMatchObject({ paymentIntentId: id, reason: 'failed' });
  });

  it('logs a subscription the client completes as cancelled', async () => {
    const id = await createdZiinaId(stack());
    const watched = connect(stack()).watch(id);
    await watched.eventCount(1);
    watched.cancel();
    await expect
      .poll(() => logged(stack(), 'subscription ended').filter((entry) => entry.paymentIntentId === id))
      .toEqual([expect.objectContaining({ reason: 'cancelled', events: 1 })]);
  });
});

describe('the WebSocket handshake with ROUTER_SECRET set', () => {
  const stack = useTestStack({ env: { ROUTER_SECRET, INTENT_FRESHNESS_MS: '600000' } });

  it('is refused with 401 before any subscription when the router secret is missing or wrong', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-router-secret': 'wrong-secret-of-the-right-length-0123456789' },
    ];
    for (const headers of attempts) {
      expect(await refusedHandshake(stack().app.graphqlUrl, headers)).toMatchObject({ status: 401 });
    }
    expect(logged(stack(), 'subscription started')).toEqual([]);
  });

  it("serves the router's handshake", async () => {
    const created = await postGraphQL(
      stack().app.graphqlUrl,
      CREATE_PAYMENT_INTENT,
      { input: zopayCreateInput({}, `sub-${randomUUID()}`) },
      { 'x-router-secret': ROUTER_SECRET },
    );
    const id = (created.json.data.createPaymentIntent as CreatePayload).paymentIntent!.id;
    const watched = connect(stack(), { 'x-router-secret': ROUTER_SECRET }).watch(id);
    await watched.eventCount(1);
    expect(watched.events[0]).toMatchObject({ id, status: 'REQUIRES_PAYMENT_INSTRUMENT' });
  });
});

describe('keep-alive', () => {
  const stack = useTestStack({ env: { SUBSCRIPTIONS_KEEPALIVE_MS: '1000' } });

  it('pings an open socket every SUBSCRIPTIONS_KEEPALIVE_MS, and closes one that stops answering', async () => {
    const socket = new WebSocket(webSocketUrl(stack().app.graphqlUrl), 'graphql-transport-ws', { autoPong: false });
    const pings: number[] = [];
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('ping', () => pings.push(performance.now()));
    await new Promise((resolve) => socket.once('open', resolve));
    const openedAt = performance.now();
    // No pong ever goes back: the server gives up on the socket one interval after its first ping.
    const code = await closed;
    expect(pings.length).toBeGreaterThanOrEqual(1);
    expect(pings[0]! - openedAt).toBeLessThan(2_000);
    expect(performance.now() - openedAt).toBeLessThan(4_000);
    // Cut without a closing handshake (RFC 6455 §7.1.5: no close frame received, 1006).
    expect(code).toBe(1006);
  });
});

describe('shutdown', () => {
  it('closes every socket with 1001 (going away), so the router subscribes again elsewhere', async () => {
    const stack = await startTestStack({ env: { INTENT_FRESHNESS_MS: '600000' } });
    let stopped = false;
    try {
      const id = await createdZiinaId(stack);
      const client = connect(stack);
      const watched = client.watch(id);
      await watched.eventCount(1);
      await stack.stop();
      stopped = true;
      await watched.done;
      expect(client.closeCodes).toEqual([1001]);
      expect(logged(stack, 'subscription ended')).toEqual([expect.objectContaining({ reason: 'cancelled' })]);
    } finally {
      if (!stopped) await stack.stop();
    }
  });
});
