import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/builders.ts';
import { createBehindTheSubgraph, emulatorWireIntent, providerIdOf } from '../support/emulator-admin.ts';
import type { HttpAnswer } from '../support/http.ts';
import { createdId, listPage, readStatus, type ListedNode } from '../support/operations.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { useTestStack } from '../support/test-stack.ts';
import {
  postToSubgraphWebhook,
  registerSubgraphWebhook,
  signedBy,
  STATUS_UPDATED,
  ziinaDeliveries,
} from '../support/ziina-webhook-client.ts';

const SECRET = `whsec_${randomBytes(24).toString('hex')}`;
const OTHER_SECRET = `whsec_${randomBytes(24).toString('hex')}`;

/** Every answer of the webhook endpoint, for the leak check. */
const answers: HttpAnswer[] = [];

// Stored copies stay fresh for 10 minutes: a read shows what the store holds, without asking Ziina.
const stack = useTestStack({ env: { ZIINA_WEBHOOK_SECRET: SECRET, INTENT_FRESHNESS_MS: '600000' } }, (started) =>
  registerSubgraphWebhook(started, SECRET),
);
afterEach(async () => {
  await ziinaDeliveries(stack()).settled();
});
async function post(body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<HttpAnswer> {
  const answer = await postToSubgraphWebhook(stack(), body, headers, method);
  answers.push(answer);
  return answer;
}

/** A Ziina intent created through the subgraph: stored, REQUIRES_PAYMENT_INSTRUMENT. */
async function storedZiinaIntent(
  externalRef = uniqueId('wh-order'),
): Promise<{ id: string; providerId: string; externalRef: string }> {
  const id = await createdId(stack(), { provider: 'ZIINA', clientMutationId: uniqueId('wh'), externalRef });
  return { id, providerId: providerIdOf(id), externalRef };
}

/** The body Ziina would send for this intent in this status: its wire shape as the emulator holds it. */
async function statusUpdate(providerId: string, status: string, event = STATUS_UPDATED): Promise<string> {
  const wire = await emulatorWireIntent(stack().ziina.baseUrl, providerId);
  return JSON.stringify({ event, data: { ...wire, status } });
}

/** What the store holds, read without asking Ziina (the stack's freshness window is 10 minutes). */
async function stored(id: string): Promise<ListedNode | null> {
  const reads = stack().ziina.stats.readRequests;
  const node = await readStatus(stack(), id);
  expect(stack().ziina.stats.readRequests, 'a read asked Ziina: the test would not show the stored state').toBe(reads);
  return node;
}

/** Changes the status at the emulator and waits until its webhook was delivered and answered. */
async function changeAtZiina(providerId: string, status: string): Promise<void> {
  const delivered = ziinaDeliveries(stack()).delivered;
  expect(stack().ziina.setStatus(providerId, status)).toBe(true);
  await ziinaDeliveries(stack()).settled();
  expect(ziinaDeliveries(stack()).delivered).toBe(delivered + 1);
}

async function webhookCounters(): Promise<Record<'applied' | 'ignored' | 'unauthorized' | 'malformed', number>> {
  const text = await scrapeMetrics(stack());
  const of = (result: string) => counterValue(text, 'payments_webhooks_total', { provider: 'ZIINA', result });
  return {
    applied: of('applied'),
    ignored: of('ignored'),
    unauthorized: of('unauthorized'),
    malformed: of('malformed'),
  };
}

async function expectCounted(
  work: () => Promise<void>,
  delta: Partial<Record<'applied' | 'ignored' | 'unauthorized' | 'malformed', number>>,
): Promise<void> {
  const before = await webhookCounters();
  await work();
  const after = await webhookCounters();
  expect(after).toEqual({
    applied: before.applied + (delta.applied ?? 0),
    ignored: before.ignored + (delta.ignored ?? 0),
    unauthorized: before.unauthorized + (delta.unauthorized ?? 0),
    malformed: before.malformed + (delta.malformed ?? 0),
  });
}

describe('status changes at Ziina', () => {
  it('reach the store through the webhook: reads and listings show them without asking Ziina', async () => {
    const intent = await storedZiinaIntent();
    const reads = stack().ziina.stats.readRequests;

    await expectCounted(
      async () => {
        await changeAtZiina(intent.providerId, 'pending');
        expect(await stored(intent.id)).toMatchObject({
          status: 'PENDING',
          providerStatus: 'pending',
          externalRef: intent.externalRef,
        });
        const pending = await listPage(stack(), { filter: { externalRef: intent.externalRef, status: 'PENDING' } });
        expect(pending.edges.map((edge) => edge.node.id)).toEqual([intent.id]);

        await changeAtZiina(intent.providerId, 'completed');
        expect(await stored(intent.id)).toMatchObject({
          status: 'COMPLETED',
          providerStatus: 'completed',
          externalRef: intent.externalRef,
        });
        const completed = await listPage(stack(), { filter: { provider: 'ZIINA', status: 'COMPLETED' } });
        expect(completed.edges.map((edge) => edge.node.id)).toContain(intent.id);
      },
      { applied: 2 },
    );

    expect(stack().ziina.stats.readRequests).toBe(reads);
    expect(ziinaDeliveries(stack()).failed).toBe(0);
  });

  it('store an intent the store never saw (created behind its back), which then lists', async () => {
    const id = await createBehindTheSubgraph('ZIINA', stack().ziina);
    expect(
      (await listPage(stack(), { filter: { provider: 'ZIINA', status: 'PENDING' } })).edges.map((edge) => edge.node.id),
    ).not.toContain(id);

    await changeAtZiina(providerIdOf(id), 'pending');

    const listed = await listPage(stack(), { filter: { provider: 'ZIINA', status: 'PENDING' } });
    expect(listed.edges.map((edge) => edge.node)).toContainEqual({
      id,
      provider: 'ZIINA',
      status: 'PENDING',
      providerStatus: 'pending',
      externalRef: null,
    });
    expect(await stored(id)).toMatchObject({ id, status: 'PENDING' });
  });

  it('never move a terminal status back, in whatever order they arrive', async () => {
    const intent = await storedZiinaIntent();
    await changeAtZiina(intent.providerId, 'completed');
    for (const later of ['pending', 'requires_user_action', 'failed', 'canceled']) {
      await changeAtZiina(intent.providerId, later);
      expect(await stored(intent.id)).toMatchObject({ status: 'COMPLETED', providerStatus: 'completed' });
    }
    expect(
      (await listPage(stack(), { filter: { externalRef: intent.externalRef, status: 'COMPLETED' } })).edges,
    ).toHaveLength(1);
  });

  it('map an unknown Ziina status to UNKNOWN, which never overwrites a terminal status', async () => {
    const open = await storedZiinaIntent();
    await changeAtZiina(open.providerId, 'on_hold');
    expect(await stored(open.id)).toMatchObject({ status: 'UNKNOWN', providerStatus: 'on_hold' });
    // UNKNOWN is not terminal: a known status still applies after it.
    await changeAtZiina(open.providerId, 'failed');
    expect(await stored(open.id)).toMatchObject({ status: 'FAILED', providerStatus: 'failed' });

    const settled = await storedZiinaIntent();
    await changeAtZiina(settled.providerId, 'canceled');
    await changeAtZiina(settled.providerId, 'on_hold');
    expect(await stored(settled.id)).toMatchObject({ status: 'CANCELED', providerStatus: 'canceled' });
  });
});

describe('deliveries posted directly', () => {
  it('keep COMPLETED when an older pending or requires_user_action arrives after it', async () => {
    const intent = await storedZiinaIntent();
    const completed = await statusUpdate(intent.providerId, 'completed');
    expect((await post(completed, signedBy(SECRET, completed))).status).toBe(200);

    for (const older of ['pending', 'requires_user_action']) {
      const body = await statusUpdate(intent.providerId, older);
      const answer = await post(body, signedBy(SECRET, body));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ received: true });
    }
    expect(await stored(intent.id)).toMatchObject({
      status: 'COMPLETED',
      providerStatus: 'completed',
      externalRef: intent.externalRef,
    });
  });

  it('apply a replayed delivery once: 200 both times, one stored state', async () => {
    const intent = await storedZiinaIntent();
    const body = await statusUpdate(intent.providerId, 'pending');

    await expectCounted(
      async () => {
        expect((await post(body, signedBy(SECRET, body))).status).toBe(200);
        expect((await post(body, signedBy(SECRET, body))).status).toBe(200);
      },
      { applied: 2 },
    );

    expect(await stored(intent.id)).toMatchObject({ status: 'PENDING', providerStatus: 'pending' });
    const listed = await listPage(stack(), { filter: { externalRef: intent.externalRef } });
    expect(listed.edges.map((edge) => edge.node)).toEqual([
      {
        id: intent.id,
        provider: 'ZIINA',
        status: 'PENDING',
        providerStatus: 'pending',
        externalRef: intent.externalRef,
      },
    ]);
  });

  it('accept the signature in upper-case hex', async () => {
    const intent = await storedZiinaIntent();
    const body = await statusUpdate(intent.providerId, 'pending');
    const [[header, signature]] = Object.entries(signedBy(SECRET, body)) as [[string, string]];
    expect((await post(body, { [header]: signature.toUpperCase() })).status).toBe(200);
    expect(await stored(intent.id)).toMatchObject({ status: 'PENDING' });
  });

  it.each([
    ['no signature header', (_body: string) => ({})],
    ['an empty signature', (_body: string) => ({ 'x-hmac-signature': '' })],
    ['a wrong signature', (_body: string) => ({ 'x-hmac-signature': randomBytes(32).toString('hex') })],
    ['the signature of another body', (body: string) => signedBy(SECRET, body.replace('"completed"', '"pending"'))],
    ['a signature made with another secret', (body: string) => signedBy(OTHER_SECRET, body)],
    ['the secret itself as the signature', (_body: string) => ({ 'x-hmac-signature': SECRET })],
    [
      'a truncated signature',
      (body: string) => ({ 'x-hmac-signature': signedBy(SECRET, body)['x-hmac-signature']!.slice(0, 63) }),
    ],
    [
      'a base64 signature',
      (body: string) => ({
        'x-hmac-signature': Buffer.from(signedBy(SECRET, body)['x-hmac-signature']!, 'hex').toString('base64'),
      }),
    ],
  ])('refuse %s with 401 and change nothing', async (_label, headersFor) => {
    const intent = await storedZiinaIntent();
    const body = await statusUpdate(intent.providerId, 'completed');

    await expectCounted(
      async () => {
        const answer = await post(body, headersFor(body));
        expect(answer.status).toBe(401);
        expect(JSON.parse(answer.text)).toEqual({ error: 'invalid signature' });
      },
      { unauthorized: 1 },
    );

    expect(await stored(intent.id)).toMatchObject({
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'requires_payment_instrument',
    });
  });

  it.each([
    ['malformed JSON', () => '{"event": "payment_intent.status.updated", "data": {'],
    ['an empty body', () => ''],
    ['a JSON array', () => '[]'],
    ['JSON null', () => 'null'],
    ['a JSON string', () => '"payment_intent.status.updated"'],
    ['an object without event', (wire: string) => `{"data": ${wire}}`],
    ['an event that is not a string', (wire: string) => `{"event": 42, "data": ${wire}}`],
    ['a status update without data', () => `{"event": "${STATUS_UPDATED}"}`],
  ])('answer %s, validly signed, with 400 and change nothing', async (_label, bodyFor) => {
    const intent = await storedZiinaIntent();
    const wire = JSON.stringify({
      ...(await emulatorWireIntent(stack().ziina.baseUrl, intent.providerId)),
      status: 'completed',
    });
    const body = bodyFor(wire);

    await expectCounted(
      async () => {
        const answer = await post(body, signedBy(SECRET, body));
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.text)).toEqual({ error: 'body must be a JSON object {event, data}' });
      },
      { malformed: 1 },
    );

    expect(await stored(intent.id)).toMatchObject({ status: 'REQUIRES_PAYMENT_INSTRUMENT' });
  });

  it.each([
    ['data that is a string', () => ({ data: 'completed' })],
    [
      'data without an amount',
      (wire: Record<string, unknown>) => ({ data: { id: wire.id, status: 'completed', currency_code: 'AED' } }),
    ],
    [
      'data with a fractional amount',
      (wire: Record<string, unknown>) => ({ data: { ...wire, amount: 10.5, status: 'completed' } }),
    ],
    [
      'data in a currency that is not ISO-4217',
      (wire: Record<string, unknown>) => ({ data: { ...wire, currency_code: 'ZZZ', status: 'completed' } }),
    ],
    ['data with an empty id', (wire: Record<string, unknown>) => ({ data: { ...wire, id: '', status: 'completed' } })],
  ])('answer a status update with %s, validly signed, with 400 and change nothing', async (_label, envelopeFor) => {
    const intent = await storedZiinaIntent();
    const wire = await emulatorWireIntent(stack().ziina.baseUrl, intent.providerId);
    const body = JSON.stringify({ event: STATUS_UPDATED, ...envelopeFor(wire) });

    await expectCounted(
      async () => {
        const answer = await post(body, signedBy(SECRET, body));
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.text).error).toMatch(/^data is not a payment intent: /);
      },
      { malformed: 1 },
    );

    expect(await stored(intent.id)).toMatchObject({ status: 'REQUIRES_PAYMENT_INSTRUMENT' });
  });

  it('acknowledge an unknown event with 200 and ignore it', async () => {
    const intent = await storedZiinaIntent();
    const body = await statusUpdate(intent.providerId, 'completed', 'refund.status.updated');

    await expectCounted(
      async () => {
        const answer = await post(body, signedBy(SECRET, body));
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.text)).toEqual({ received: true });
      },
      { ignored: 1 },
    );

    expect(await stored(intent.id)).toMatchObject({ status: 'REQUIRES_PAYMENT_INSTRUMENT' });
  });

  it.each(['GET', 'PUT', 'DELETE'])('answer %s with 405 and Allow: POST', async (method) => {
    const answer = await post('{}', {}, method);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });
});

describe('the webhook endpoint without ZIINA_WEBHOOK_SECRET', () => {
  const plain = useTestStack();

  it('is off: 404, whatever the signature', async () => {
    const id = await createdId(plain(), { provider: 'ZIINA', clientMutationId: 'no-secret-1' });
    const wire = await emulatorWireIntent(plain().ziina.baseUrl, providerIdOf(id));
    const body = JSON.stringify({ event: STATUS_UPDATED, data: { ...wire, status: 'completed' } });

    for (const headers of [{}, signedBy(SECRET, body)]) {
      const answer = await postToSubgraphWebhook(plain(), body, headers);
      expect(answer.status).toBe(404);
    }
    expect((await postToSubgraphWebhook(plain(), '', {}, 'GET')).status).toBe(404);
    const metrics = await scrapeMetrics(plain());
    expect(counterValue(metrics, 'payments_webhooks_total')).toBe(0);
  });
});

describe('what the endpoint shows', () => {
  /** One delivery of each kind: applied, ignored, unauthorized, malformed. */
  async function oneOfEach(): Promise<void> {
    const intent = await storedZiinaIntent();
    const applied = await statusUpdate(intent.providerId, 'pending');
    const ignored = await statusUpdate(intent.providerId, 'completed', 'refund.status.updated');
    const malformed = '{"event":';
    expect((await post(applied, signedBy(SECRET, applied))).status).toBe(200);
    expect((await post(ignored, signedBy(SECRET, ignored))).status).toBe(200);
    expect((await post(applied, signedBy(OTHER_SECRET, applied))).status).toBe(401);
    expect((await post(malformed, signedBy(SECRET, malformed))).status).toBe(400);
  }

  it('counts applied, ignored, unauthorized and malformed deliveries in /metrics', async () => {
    await expectCounted(oneOfEach, { applied: 1, ignored: 1, unauthorized: 1, malformed: 1 });
    const metrics = await scrapeMetrics(stack());
    expect(metrics).toContain('# TYPE payments_webhooks_total counter');
    for (const result of ['applied', 'ignored', 'unauthorized', 'malformed']) {
      expect(metrics).toMatch(new RegExp(`^payments_webhooks_total\\{[^}]*result="${result}"[^}]*\\} [1-9]\\d*$`, 'm'));
    }
  });

  it('never echoes the secret in an answer or a log line', async () => {
    await oneOfEach();
    expect(answers.length).toBeGreaterThanOrEqual(4);
    for (const answer of answers) expect(answer.text).not.toContain(SECRET);
    for (const text of stack().responses) expect(text).not.toContain(SECRET);
    expect(stack().log.text).not.toContain(SECRET);
  });
});
