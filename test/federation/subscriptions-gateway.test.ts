import { describe, expect, it } from 'vitest';
import { uniqueId, ziinaCreateInput } from '../support/builders.ts';
import { providerIdOf } from '../support/emulator-admin.ts';
import { serverSentEvents, type ServerSentEvent } from '../support/event-stream-client.ts';
import { startFederationHarness } from '../support/gateway.ts';
import { useStarted } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { PAYMENT_INTENT_UPDATED } from '../support/subscription-client.ts';
import { registerSubgraphWebhook } from '../support/ziina-webhook-client.ts';

// Through a real gateway that speaks subscriptions to subgraphs: Hive Gateway (@apollo/gateway has
// none) takes the client's subscription over Server-Sent Events and subscribes to the payments
// subgraph over graphql-ws with the router's secret on the upgrade, as router.yaml's passthrough mode does.

const WEBHOOK_SECRET = 'gateway-subscription-webhook-secret-0123456789';

const harness = useStarted(
  async () => {
    const started = await startFederationHarness({
      gateway: 'hive',
      env: { ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET, INTENT_FRESHNESS_MS: '600000' },
    });
    await registerSubgraphWebhook(started.stack, WEBHOOK_SECRET);
    return started;
  },
  (started) => started.stop(),
);

describe('paymentIntentUpdated through Hive Gateway', () => {
  it('a Ziina intent: its state, then the change its signed completed webhook brings, then completion', async () => {
    const created = await harness().gateway(CREATE_PAYMENT_INTENT, { input: ziinaCreateInput({}, uniqueId('gw')) });
    const id = (created.json.data.createPaymentIntent as CreatePayload).paymentIntent!.id;

    const events: ServerSentEvent[] = [];
    for await (const event of serverSentEvents(harness().gatewayUrl, PAYMENT_INTENT_UPDATED, { id })) {
      events.push(event);
      // The first event is the intent as it is: now the payer completes it at Ziina, which tells the subgraph.
      if (events.length === 1) expect(harness().stack.ziina.setStatus(providerIdOf(id), 'completed')).toBe(true);
    }

    expect(events.map(({ event }) => event)).toEqual(['next', 'next', 'complete']);
    const statuses = events
      .slice(0, 2)
      .map(({ data }) => (data as { data: { paymentIntentUpdated: { status: string } } }).data.paymentIntentUpdated);
    expect(statuses).toEqual([
      expect.objectContaining({ id, status: 'REQUIRES_PAYMENT_INSTRUMENT' }),
      expect.objectContaining({ id, status: 'COMPLETED', providerStatus: 'completed' }),
    ]);
  });

  it('an unknown id: one null event, then completion', async () => {
    const events: ServerSentEvent[] = [];
    for await (const event of serverSentEvents(harness().gatewayUrl, PAYMENT_INTENT_UPDATED, { id: 'ziina:nope' })) {
      events.push(event);
    }
    expect(events).toEqual([
      { event: 'next', data: { data: { paymentIntentUpdated: null } } },
      { event: 'complete', data: null },
    ]);
  });
});
