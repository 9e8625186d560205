import { execFile } from 'node:child_process';
import { STATUS_CODES } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../emulators/kit/emulator.ts';
import { startZiinaEmulator } from '../../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../../emulators/zopay/zopay-emulator.ts';
import { call, originOf, postJson, type HttpAnswer } from '../../support/http.ts';

interface ProviderCase {
  readonly provider: string;
  readonly start: () => Promise<StartedEmulator>;
  /** A valid, authenticated create. */
  readonly create: (emulator: StartedEmulator, headers?: Record<string, string>) => Promise<HttpAnswer>;
  readonly intentUrl: (emulator: StartedEmulator, id: string) => string;
  /** The provider-style body of an injected fault given only a status. */
  readonly faultBody: (status: number, reason: string) => unknown;
  /** Where the start function lives, for the child-process test. */
  readonly moduleUrl: string;
  readonly startFunction: string;
}

let keyCounter = 0;

const providers: ProviderCase[] = [
  {
    provider: 'zopay',
    start: () => startZopayEmulator(),
    create: (
      emulator,
      headers = { authorization: `Bearer ${emulator.apiKey}`, 'idempotency-key': `fault-test-${++keyCounter}` },
    ) => postJson(`${emulator.baseUrl}/payment-intents`, { amount: '10', currencies: ['USDT'] }, headers),
    intentUrl: (emulator, id) => `${emulator.baseUrl}/payment-intents/${id}`,
    faultBody: (_status, reason) => ({ detail: reason }),
    moduleUrl: new URL('../../../emulators/zopay/zopay-emulator.ts', import.meta.url).href,
    startFunction: 'startZopayEmulator',
  },
  {
    provider: 'ziina',
    start: () => startZiinaEmulator(),
    create: (emulator, headers = { authorization: `Bearer ${emulator.apiKey}` }) =>
      postJson(`${emulator.baseUrl}/payment_intent`, { amount: 1000, currency_code: 'AED' }, headers),
    intentUrl: (emulator, id) => `${emulator.baseUrl}/payment_intent/${id}`,
    faultBody: (status, reason) => ({ message: reason, statusCode: status }),
    moduleUrl: new URL('../../../emulators/ziina/ziina-emulator.ts', import.meta.url).href,
    startFunction: 'startZiinaEmulator',
  },
];

const running: StartedEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

describe.each(providers)(
  '$provider emulator',
  ({ start, create, intentUrl, faultBody, provider, moduleUrl, startFunction }) => {
    const startEmulator = async () => {
      const emulator = await start();
      running.push(emulator);
      return emulator;
    };
    const getIntent = (emulator: StartedEmulator, id: string) =>
      call(intentUrl(emulator, id), { headers: { authorization: `Bearer ${emulator.apiKey}` } });

    describe('injected faults', () => {
      it('answers an injected status with the provider-style body, once, without running the handler', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ status: 503 });
        expect(emulator.faults.pending).toBe(1);

        const faulted = await create(emulator);
        expect(faulted.status).toBe(503);
        expect(faulted.json).toEqual(faultBody(503, 'Service Unavailable'));
        expect(emulator.faults.pending).toBe(0);
        expect(emulator.stats).toEqual({ createRequests: 0, intentsCreated: 0, readRequests: 0 });

        expect((await create(emulator)).status).toBe(201);
      });

      it('answers a fault before auth, like a load balancer in front of the app', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ status: 502 });

        const answer = await create(emulator, {});
        expect(answer.status).toBe(502);
      });

      it('sends the given body and headers', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ status: 429, body: { slow: 'down' }, headers: { 'retry-after': '1' } });

        const answer = await create(emulator);
        expect(answer.status).toBe(429);
        expect(answer.json).toEqual({ slow: 'down' });
        expect(answer.headers.get('retry-after')).toBe('1');
      });

      it('consumes faults in order, each by the first request it matches', async () => {
        const emulator = await startEmulator();
        emulator.faults.push(
          { method: 'GET', status: 500 },
          { pathIncludes: '/elsewhere', status: 500 },
          { status: 502 },
          { status: 504 },
        );

        expect((await create(emulator)).status).toBe(502);
        expect((await create(emulator)).status).toBe(504);
        expect(emulator.faults.pending).toBe(2);

        const created = await create(emulator);
        expect(created.status).toBe(201);
        expect((await getIntent(emulator, created.json.id)).status).toBe(500);
        expect(emulator.faults.pending).toBe(1);

        emulator.faults.clear();
        expect(emulator.faults.pending).toBe(0);
      });

      it('delays the real handler', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ delayMs: 300 });

        const startedAt = performance.now();
        const answer = await create(emulator);
        expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
        expect(answer.status).toBe(201);
        expect(emulator.stats.intentsCreated).toBe(1);
      });

      it('delays an injected status', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ delayMs: 200, status: 504 });

        const startedAt = performance.now();
        const answer = await create(emulator);
        expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);
        expect(answer.status).toBe(504);
        expect(emulator.stats.intentsCreated).toBe(0);
      });

      it('drops the connection without answering', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ destroySocket: true });

        await expect(create(emulator)).rejects.toThrow();
        expect(emulator.stats.intentsCreated).toBe(0);
        expect((await create(emulator)).status).toBe(201);
      });

      it('runs the handler before an afterHandler status: the intent exists though the answer is an error', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ afterHandler: true, status: 502 });

        const answer = await create(emulator);
        expect(answer.status).toBe(502);
        expect(answer.json).toEqual(faultBody(502, 'Bad Gateway'));
        expect(emulator.stats.intentsCreated).toBe(1);
        const listed = await call(`${originOf(emulator.baseUrl)}/__emulator/payment-intents`);
        expect(listed.json).toHaveLength(1);
      });

      it('runs the handler before an afterHandler drop', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ afterHandler: true, destroySocket: true });

        await expect(create(emulator)).rejects.toThrow();
        expect(emulator.stats.intentsCreated).toBe(1);
      });
    });

    describe('admin routes', () => {
      it('reports health', async () => {
        const emulator = await startEmulator();
        const answer = await call(`${originOf(emulator.baseUrl)}/__emulator/health`);

        expect(answer.status).toBe(200);
        expect(answer.json).toEqual({ status: 'ok', provider });
      });

      it('queues and clears faults over HTTP', async () => {
        const emulator = await startEmulator();
        const faultsUrl = `${originOf(emulator.baseUrl)}/__emulator/faults`;

        expect((await postJson(faultsUrl, { status: 503 })).json).toEqual({ pending: 1 });
        expect((await postJson(faultsUrl, [{ status: 500 }, { delayMs: 10 }])).json).toEqual({ pending: 3 });
        expect((await create(emulator)).status).toBe(503);

        const cleared = await call(faultsUrl, { method: 'DELETE' });
        expect(cleared.json).toEqual({ pending: 0 });
        expect(emulator.faults.pending).toBe(0);
        expect((await create(emulator)).status).toBe(201);
      });

      it('refuses a malformed fault', async () => {
        const emulator = await startEmulator();
        const answer = await postJson(`${originOf(emulator.baseUrl)}/__emulator/faults`, { status: 503, delay: 10 });

        expect(answer.status).toBe(400);
        expect(answer.json).toEqual({ error: expect.any(String) });
        expect(emulator.faults.pending).toBe(0);
      });

      it('is never answered by a fault', async () => {
        const emulator = await startEmulator();
        emulator.faults.push({ status: 503 });

        expect((await call(`${originOf(emulator.baseUrl)}/__emulator/health`)).status).toBe(200);
        expect(emulator.faults.pending).toBe(1);
      });

      it('lists intents and changes their status', async () => {
        const emulator = await startEmulator();
        const first = await create(emulator);
        const second = await create(emulator);
        const admin = `${originOf(emulator.baseUrl)}/__emulator/payment-intents`;

        const listed = await call(admin);
        expect(listed.json).toEqual([first.json, second.json]);

        const changed = await postJson(`${admin}/${first.json.id}/status`, { status: 'completed' });
        expect(changed.status).toBe(200);
        expect(changed.json.status).toBe('completed');
        expect((await getIntent(emulator, first.json.id)).json.status).toBe('completed');

        const unknown = await postJson(`${admin}/missing/status`, { status: 'completed' });
        expect(unknown.status).toBe(404);
        const invalid = await postJson(`${admin}/${first.json.id}/status`, { state: 'completed' });
        expect(invalid.status).toBe(400);
      });
    });

    it('answers an oversized body with a provider-style 413', async () => {
      const emulator = await startEmulator();
      const answer = await postJson(`${emulator.baseUrl}/anything`, `"${'x'.repeat(1024 * 1024)}"`);

      expect(answer.status).toBe(413);
      expect(answer.json).toEqual(faultBody(413, STATUS_CODES[413] ?? ''));
    });

    it('close() drops keep-alive and in-flight connections, and can be called twice', async () => {
      const emulator = await start();
      expect((await create(emulator)).status).toBe(201);
      emulator.faults.push({ delayMs: 60_000 });
      const inFlight = create(emulator).then(
        () => 'answered',
        () => 'dropped',
      );
      await expect.poll(() => emulator.faults.pending, { interval: 5 }).toBe(0);

      await emulator.close();
      await emulator.close();

      expect(await inFlight).toBe('dropped');
      await expect(fetch(`${originOf(emulator.baseUrl)}/__emulator/health`)).rejects.toThrow();
    });

    it('close() does not wait for a client stuck halfway through its request', async () => {
      const emulator = await start();
      const { port } = new URL(emulator.baseUrl);
      const socket = connect(Number(port), '127.0.0.1');
      // close() resets the half-sent request: ECONNRESET is the expected outcome, not a failure.
      socket.on('error', () => undefined);
      const socketClosed = new Promise((resolve) => socket.once('close', resolve));
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('POST /slow HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100\r\n\r\n{"amount"');
      await expect.poll(() => socket.bytesWritten, { interval: 5 }).toBeGreaterThan(0);

      await emulator.close();
      await socketClosed;
    });

    it('close() leaves nothing that keeps the process alive', async () => {
      // The test runner's own timers blur handle counts here, so a child process does the same dance
      // and must then exit by itself: any server, socket or injected-delay timer left open would hold it.
      const script = `
      const { ${startFunction} } = await import(${JSON.stringify(moduleUrl)});
      const emulator = await ${startFunction}();
      await (await fetch(new URL(emulator.baseUrl).origin + '/__emulator/health')).text();
      emulator.faults.push({ delayMs: 60000 });
      const inFlight = fetch(emulator.baseUrl + '/slow').then(() => 'answered', () => 'dropped');
      while (emulator.faults.pending > 0) await new Promise((resolve) => setImmediate(resolve));
      await emulator.close();
      console.log(await inFlight);
    `;
      const child = await runNode(['--input-type=module', '--eval', script], 15_000);

      expect(child).toEqual({ exitCode: 0, signal: null, stdout: 'dropped\n', stderr: '' });
    });
  },
);

describe('zopay idempotency and faults', () => {
  it('stores the handler answer behind an afterHandler fault, so a retry gets the minted intent', async () => {
    const emulator = await startZopayEmulator();
    running.push(emulator);
    const headers = { authorization: `Bearer ${emulator.apiKey}`, 'idempotency-key': 'lost-response' };
    const body = { amount: '10', currencies: ['USDT'] };
    emulator.faults.push({ afterHandler: true, status: 504 });

    expect((await postJson(`${emulator.baseUrl}/payment-intents`, body, headers)).status).toBe(504);
    const retry = await postJson(`${emulator.baseUrl}/payment-intents`, body, headers);

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const listed = await call(`${originOf(emulator.baseUrl)}/__emulator/payment-intents`);
    expect(listed.json).toEqual([retry.json]);
    expect(emulator.stats).toMatchObject({ createRequests: 2, intentsCreated: 1 });
  });

  it('never stores an injected answer', async () => {
    const emulator = await startZopayEmulator();
    running.push(emulator);
    const headers = { authorization: `Bearer ${emulator.apiKey}`, 'idempotency-key': 'faulted-first' };
    const body = { amount: '10', currencies: ['USDT'] };
    emulator.faults.push({ status: 503 });

    expect((await postJson(`${emulator.baseUrl}/payment-intents`, body, headers)).status).toBe(503);
    const retry = await postJson(`${emulator.baseUrl}/payment-intents`, body, headers);

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });
});

/** Runs Node with these arguments; a child still running after timeoutMs is killed (signal SIGTERM). */
function runNode(args: string[], timeoutMs: number) {
  return new Promise<{ exitCode: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, args, { timeout: timeoutMs }, (_error, stdout, stderr) => {
      resolve({ exitCode: child.exitCode, signal: child.signalCode, stdout, stderr });
    });
  });
}
