import { describe, expect, it } from 'vitest';
import { EMULATOR_APIS, emulatorAdminUrl, readAtEmulator, useEmulatorsPerTest } from '../../support/emulator-admin.ts';
import { call } from '../../support/http.ts';

// Injected faults, as every emulator applies them to the requests of its provider API.

const startEmulator = useEmulatorsPerTest();

describe.each(EMULATOR_APIS)('$provider emulator', (api) => {
  describe('injected faults', () => {
    it('answers an injected status with the provider-style body, once, without running the handler', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ status: 503 });
      expect(emulator.faults.pending).toBe(1);

      const faulted = await api.create(emulator);
      expect(faulted.status).toBe(503);
      expect(faulted.json).toEqual(api.faultBody(503, 'Service Unavailable'));
      expect(emulator.faults.pending).toBe(0);
      expect(emulator.stats).toEqual({ createRequests: 0, intentsCreated: 0, readRequests: 0 });

      expect((await api.create(emulator)).status).toBe(201);
    });

    it('answers a fault before auth, like a load balancer in front of the app', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ status: 502 });

      const answer = await api.create(emulator, { headers: {} });
      expect(answer.status).toBe(502);
    });

    it('sends the given body and headers', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ status: 429, body: { slow: 'down' }, headers: { 'retry-after': '1' } });

      const answer = await api.create(emulator);
      expect(answer.status).toBe(429);
      expect(answer.json).toEqual({ slow: 'down' });
      expect(answer.headers.get('retry-after')).toBe('1');
    });

    it('consumes faults in order, each by the first request it matches', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push(
        { method: 'GET', status: 500 },
        { pathIncludes: '/elsewhere', status: 500 },
        { status: 502 },
        { status: 504 },
      );

      expect((await api.create(emulator)).status).toBe(502);
      expect((await api.create(emulator)).status).toBe(504);
      expect(emulator.faults.pending).toBe(2);

      const created = await api.create(emulator);
      expect(created.status).toBe(201);
      expect((await readAtEmulator(api, emulator, created.json.id)).status).toBe(500);
      expect(emulator.faults.pending).toBe(1);

      emulator.faults.clear();
      expect(emulator.faults.pending).toBe(0);
    });

    it('delays the real handler', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ delayMs: 300 });

      const startedAt = performance.now();
      const answer = await api.create(emulator);
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
      expect(answer.status).toBe(201);
      expect(emulator.stats.intentsCreated).toBe(1);
    });

    it('delays an injected status', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ delayMs: 200, status: 504 });

      const startedAt = performance.now();
      const answer = await api.create(emulator);
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);
      expect(answer.status).toBe(504);
      expect(emulator.stats.intentsCreated).toBe(0);
    });

    it('drops the connection without answering', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ destroySocket: true });

      await expect(api.create(emulator)).rejects.toThrow();
      expect(emulator.stats.intentsCreated).toBe(0);
      expect((await api.create(emulator)).status).toBe(201);
    });

    it('runs the handler before an afterHandler status: the intent exists though the answer is an error', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ afterHandler: true, status: 502 });

      const answer = await api.create(emulator);
      expect(answer.status).toBe(502);
      expect(answer.json).toEqual(api.faultBody(502, 'Bad Gateway'));
      expect(emulator.stats.intentsCreated).toBe(1);
      const listed = await call(emulatorAdminUrl(emulator.baseUrl, 'payment-intents'));
      expect(listed.json).toHaveLength(1);
    });

    it('runs the handler before an afterHandler drop', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ afterHandler: true, destroySocket: true });

      await expect(api.create(emulator)).rejects.toThrow();
      expect(emulator.stats.intentsCreated).toBe(1);
    });
  });
});
