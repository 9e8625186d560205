import { createHmac } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../emulators/kit/emulator.ts';
import { startZiinaEmulator } from '../../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../../emulators/zopay/zopay-emulator.ts';
import { bearer, readAtEmulator, ZIINA_API, ZOPAY_API, type EmulatorApi } from '../../support/emulator-admin.ts';
import { call, postJson, type HttpAnswer } from '../../support/http.ts';
import { useStoppedAfterEach } from '../../support/lifecycle.ts';
import { startWebhookReceiver } from '../../support/webhook-receiver.ts';

interface ProviderCase extends EmulatorApi {
  /** A valid, authenticated create; Zopay's Idempotency-Key is `request`, so another one mints anew. */
  readonly createSaved: (emulator: StartedEmulator, request?: string) => Promise<HttpAnswer>;
}

// Amounts and metadata numbers a float would round or reformat: the file must keep their digits.
const ZOPAY_BODY =
  '{"amount":"12345678901234567890.01","currencies":["USDT"],"metadata":{"big":12345678901234567890.01,"scale":1.0,"small":0.1}}';

const providers: ProviderCase[] = [
  {
    ...ZOPAY_API,
    createSaved: (emulator, request = 'first') =>
      ZOPAY_API.create(emulator, {
        body: ZOPAY_BODY,
        headers: { ...bearer(emulator), 'idempotency-key': `state-file-test-${request}` },
      }),
  },
  {
    ...ZIINA_API,
    createSaved: (emulator) =>
      ZIINA_API.create(emulator, { body: { amount: 1050, currency_code: 'AED', message: 'Order 7' } }),
  },
];

let directory: string;
let stateFile: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'emulator-state-'));
  stateFile = join(directory, 'state.json');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});
// Registered after the removal, so it runs before it: emulators stop writing first.
const track = useStoppedAfterEach((emulator: StartedEmulator) => emulator.close());

describe.each(providers)('$provider emulator with a state file', (api) => {
  const { start, createSaved } = api;
  it('keeps its key and intents across a restart', async () => {
    const first = await track(start({ stateFile }));
    const created = await createSaved(first);
    expect(created.status).toBe(201);
    const id: string = created.json.id;
    expect(first.setStatus(id, 'completed')).toBe(true);
    const before = await readAtEmulator(api, first, id);
    await first.close();

    const second = await track(start({ stateFile }));
    const after = await readAtEmulator(api, second, id);

    expect(second.apiKey).toBe(first.apiKey);
    expect(after.status).toBe(200);
    expect(after.text).toBe(before.text);
    expect(after.json.status).toBe('completed');
  });

  it('goes on minting new ids after a restart', async () => {
    const first = await track(start({ stateFile }));
    const firstId = (await createSaved(first)).json.id;
    await first.close();

    const second = await track(start({ stateFile }));
    const secondId = (await createSaved(second, 'second')).json.id;

    expect(secondId).not.toBe(firstId);
  });

  it('prefers an explicit apiKey to the saved one', async () => {
    const first = await track(start({ stateFile }));
    await createSaved(first);
    await first.close();

    const second = await track(start({ stateFile, apiKey: 'explicit-key' }));

    expect(second.apiKey).toBe('explicit-key');
  });

  it('leaves the file alone holding the whole state at close: valid JSON, no journal or temporary file', async () => {
    const emulator = await track(start({ stateFile }));
    const id = (await createSaved(emulator)).json.id;
    emulator.setStatus(id, 'failed');
    await emulator.close();

    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.apiKey).toBe(emulator.apiKey);
    expect(saved.intents).toMatchObject([{ id, status: 'failed' }]);
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('appends each later change to a journal instead of rewriting the whole file', async () => {
    const emulator = await track(start({ stateFile }));
    const id = (await createSaved(emulator)).json.id;
    const whole = await readFile(stateFile, 'utf8');

    emulator.setStatus(id, 'failed');
    await createSaved(emulator, 'second');

    expect(await readFile(stateFile, 'utf8')).toBe(whole);
    const journal = (await readFile(`${stateFile}.journal`, 'utf8')).trimEnd().split('\n');
    expect(journal.map((line) => JSON.parse(line))).toContainEqual({
      intent: expect.objectContaining({ id, status: 'failed' }),
    });
  });

  it('keeps every change of a run that never closed, a last journal line cut short by the crash dropped', async () => {
    const crashed = await track(start({ stateFile }));
    const id = (await createSaved(crashed)).json.id;
    crashed.setStatus(id, 'completed');
    const before = await readAtEmulator(api, crashed, id);
    await appendFile(`${stateFile}.journal`, '{"intent":{"id":"cut-sh');

    const restarted = await track(start({ stateFile }));
    const after = await readAtEmulator(api, restarted, id);

    expect(restarted.apiKey).toBe(crashed.apiKey);
    expect(after.text).toBe(before.text);
    expect(after.json.status).toBe('completed');
  });

  it.each([
    ['not JSON', '{"apiKey": "k", "intents": ['],
    ['JSON of another shape', '{"apiKey": "k", "intents": [{"id": 42}]}'],
    ['empty', ''],
  ])('refuses to start on a state file that is %s, naming the file', async (_case, content) => {
    await writeFile(stateFile, content);

    await expect(start({ stateFile })).rejects.toThrow(stateFile);
  });

  it('creates the state file, and its directory, on the first change only', async () => {
    const nested = join(directory, 'emulators', 'state.json');
    const emulator = await track(start({ stateFile: nested }));
    expect(await readdir(directory)).toEqual([]);

    await createSaved(emulator);

    expect(await readdir(join(directory, 'emulators'))).toContain('state.json');
  });
});

describe('Zopay emulator with a state file', () => {
  it('replays an Idempotency-Key used before the restart, digits of every number intact', async () => {
    const first = await track(startZopayEmulator({ stateFile }));
    const original = await providers[0]!.createSaved(first);
    expect(original.status).toBe(201);
    await first.close();

    const second = await track(startZopayEmulator({ stateFile }));
    const replay = await providers[0]!.createSaved(second);

    expect(replay.status).toBe(201);
    expect(replay.text).toBe(original.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toContain('"metadata":{"big":12345678901234567890.01,"scale":1.0,"small":0.1}');
    expect(second.stats.intentsCreated).toBe(0);
    const stored = await readAtEmulator(ZOPAY_API, second, original.json.id);
    expect(stored.text).toBe(original.text);
  });
});

describe('Ziina emulator with a state file', () => {
  it('keeps its webhook registration across a restart', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const first = await track(startZiinaEmulator({ stateFile }));
      const auth = { authorization: `Bearer ${first.apiKey}` };
      await postJson(`${first.baseUrl}/webhook`, { url: receiver.url, secret: 'kept-secret' }, auth);
      const id = (await providers[1]!.createSaved(first)).json.id;
      await first.close();

      const second = await track(startZiinaEmulator({ stateFile }));
      second.setStatus(id, 'completed');
      await second.webhooks.settled();

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      expect(JSON.parse(delivery?.body ?? '')).toMatchObject({
        event: 'payment_intent.status.updated',
        data: { id, status: 'completed' },
      });
      expect(delivery?.headers['x-hmac-signature']).toBe(
        createHmac('sha256', 'kept-secret')
          .update(delivery?.body ?? '')
          .digest('hex'),
      );
    } finally {
      await receiver.close();
    }
  });

  it('forgets a webhook deleted before the restart', async () => {
    const first = await track(startZiinaEmulator({ stateFile }));
    const auth = { authorization: `Bearer ${first.apiKey}` };
    await postJson(`${first.baseUrl}/webhook`, { url: 'https://shop.example/hooks' }, auth);
    await call(`${first.baseUrl}/webhook`, { method: 'DELETE', headers: auth });
    await first.close();

    expect(JSON.parse(await readFile(stateFile, 'utf8')).webhook).toBeNull();
  });
});
