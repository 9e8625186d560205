import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZiinaEmulator, type ZiinaEmulator } from '../../../emulators/ziina/ziina-emulator.ts';
import { emulatorAdminUrl, readAtEmulator, ZIINA_API } from '../../support/emulator-admin.ts';
import { call, postJson } from '../../support/http.ts';
import { useStoppedAfterEach } from '../../support/lifecycle.ts';
import { startWebhookReceiver, type ReceiverAnswer, type WebhookReceiver } from '../../support/webhook-receiver.ts';

const API_KEY = 'ziina-webhook-tests';
const SECRET = 'whsec-emulator-tests';
const auth = { authorization: `Bearer ${API_KEY}` };

let emulator: ZiinaEmulator;

beforeEach(async () => {
  // Short attempts and backoffs keep the retry tests fast; the schedule itself is what they check.
  emulator = await startZiinaEmulator({ apiKey: API_KEY, webhookDelivery: { timeoutMs: 500, retryBackoffMs: 5 } });
});

// Registered before the emulator's close, so it runs after it: the emulator stops sending first.
const closeAfterTest = useStoppedAfterEach((receiver: WebhookReceiver) => receiver.close());
afterEach(async () => {
  await emulator.close();
});

const webhookUrl = (on = emulator) => `${on.baseUrl}/webhook`;
const register = (body: unknown, headers: Record<string, string> = auth, on = emulator) =>
  postJson(webhookUrl(on), body, headers);

const receive = (answers: readonly ReceiverAnswer[] = [], otherwise: ReceiverAnswer = 200) =>
  closeAfterTest(startWebhookReceiver(answers, otherwise));

async function createIntent(on = emulator): Promise<string> {
  const answer = await ZIINA_API.create(on);
  expect(answer.status).toBe(201);
  return answer.json.id;
}

const setStatusByAdmin = (id: string, status: string) =>
  postJson(emulatorAdminUrl(emulator.baseUrl, `payment-intents/${id}/status`), { status });

describe('POST /webhook', () => {
  it('registers a URL and answers 200 without echoing the secret', async () => {
    const answer = await register({ url: 'https://shop.example/hooks/ziina', secret: SECRET });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: true });
  });

  it('takes a null secret as none (@IsOptional)', async () => {
    const answer = await register({ url: 'https://shop.example/hooks/ziina', secret: null });

    expect(answer.status).toBe(200);
  });

  it('needs the API key', async () => {
    const answer = await register({ url: 'https://shop.example/hooks/ziina' }, {});

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized', statusCode: 401 });
  });

  it.each([
    ['a missing url', {}, ['url must be a URL address']],
    ['a url that is not one', { url: 'not a url' }, ['url must be a URL address']],
    ['a url that is not http(s)', { url: 'ftp://shop.example/hooks' }, ['url must be a URL address']],
    ['an empty secret', { url: 'https://shop.example/h', secret: '' }, ['secret should not be empty']],
    ['a secret that is not a string', { url: 'https://shop.example/h', secret: 42 }, ['secret must be a string']],
    ['an unknown property', { url: 'https://shop.example/h', events: ['*'] }, ['property events should not exist']],
  ])('refuses %s with NestJS validation 400', async (_case, body, messages) => {
    const answer = await register(body);

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ statusCode: 400, message: messages, error: 'Bad Request' });
  });

  it('refuses a body that is not JSON the way the JSON parser does', async () => {
    const answer = await register('{"url":');

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(typeof answer.json.message).toBe('string');
  });
});

describe('payment_intent.status.updated', () => {
  it('POSTs the intent as GET answers it after the change, signed with the secret', async () => {
    const hooks = await receive();
    await register({ url: hooks.url, secret: SECRET });
    const id = await createIntent();

    const changed = await setStatusByAdmin(id, 'completed');
    expect(changed.status).toBe(200);
    await emulator.webhooks.settled();

    const intentText = (await readAtEmulator(ZIINA_API, emulator, id)).text;
    expect(hooks.received).toHaveLength(1);
    const [delivery] = hooks.received;
    expect(delivery?.method).toBe('POST');
    expect(delivery?.path).toBe('/hooks/ziina');
    expect(delivery?.headers['content-type']).toBe('application/json');
    expect(delivery?.body).toBe(`{"event":"payment_intent.status.updated","data":${intentText}}`);
    expect(JSON.parse(delivery?.body ?? '')).toMatchObject({ data: { id, status: 'completed' } });
    expect(delivery?.headers['x-hmac-signature']).toBe(
      createHmac('sha256', SECRET)
        .update(delivery?.body ?? '')
        .digest('hex'),
    );
    expect(emulator.webhooks).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('sends no signature header without a secret', async () => {
    const hooks = await receive();
    await register({ url: hooks.url });
    const id = await createIntent();

    await setStatusByAdmin(id, 'pending');
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(1);
    expect(hooks.received[0]?.headers).not.toHaveProperty('x-hmac-signature');
  });

  it('is sent by setStatus too, which returns before the delivery ends', async () => {
    const hooks = await receive();
    await register({ url: hooks.url });
    const id = await createIntent();

    expect(emulator.setStatus(id, 'failed')).toBe(true);
    expect(emulator.webhooks).toMatchObject({ delivered: 0, failed: 0 });
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(1);
    expect(JSON.parse(hooks.received[0]?.body ?? '')).toMatchObject({
      data: { status: 'failed', latest_error: { code: 'card_declined' } },
    });
    expect(emulator.webhooks).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('retries an attempt the receiver does not answer in time', async () => {
    const hooks = await receive(['hang'], 200);
    await register({ url: hooks.url });
    const id = await createIntent();

    emulator.setStatus(id, 'completed');
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]?.body).toBe(hooks.received[0]?.body);
    expect(emulator.webhooks).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('sends nothing without a registration, or after DELETE /webhook', async () => {
    const hooks = await receive();
    const id = await createIntent();
    emulator.setStatus(id, 'pending');
    await register({ url: hooks.url });

    const deleted = await call(webhookUrl(), { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(200);
    emulator.setStatus(id, 'completed');
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(0);
    expect(emulator.webhooks).toMatchObject({ delivered: 0, failed: 0 });
  });

  it('retries after 5xx answers and counts the event delivered once acknowledged', async () => {
    const hooks = await receive([500, 500], 200);
    await register({ url: hooks.url, secret: SECRET });
    const id = await createIntent();

    await setStatusByAdmin(id, 'completed');
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(3);
    expect(new Set(hooks.received.map((request) => request.body)).size).toBe(1);
    expect(emulator.webhooks).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('gives up after the first attempt and 3 retries', async () => {
    const hooks = await receive([], 503);
    await register({ url: hooks.url });
    const id = await createIntent();

    await setStatusByAdmin(id, 'completed');
    await emulator.webhooks.settled();

    expect(hooks.received).toHaveLength(4);
    expect(emulator.webhooks).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('counts a receiver that refuses connections as failed', async () => {
    const hooks = await receive();
    await hooks.close();
    await register({ url: hooks.url });
    const id = await createIntent();

    emulator.setStatus(id, 'completed');
    await emulator.webhooks.settled();

    expect(emulator.webhooks).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('lets close() return promptly while a delivery is pending', async () => {
    const hooks = await receive([], 'hang');
    // Attempts that would wait a minute: close() has to cut them short.
    const slow = await startZiinaEmulator({
      apiKey: API_KEY,
      webhookDelivery: { timeoutMs: 60_000, retryBackoffMs: 60_000 },
    });
    await register({ url: hooks.url }, auth, slow);
    const id = await createIntent(slow);

    slow.setStatus(id, 'completed');
    await hooks.receivedCount(1);
    const closing = performance.now();
    await slow.close();
    await slow.webhooks.settled();

    expect(performance.now() - closing).toBeLessThan(1000);
    expect(slow.webhooks).toMatchObject({ delivered: 0, failed: 0 });
  });
});
