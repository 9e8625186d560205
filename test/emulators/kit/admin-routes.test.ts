import { describe, expect, it } from 'vitest';
import { EMULATOR_APIS, emulatorAdminUrl, readAtEmulator, useEmulatorsPerTest } from '../../support/emulator-admin.ts';
import { call, postJson } from '../../support/http.ts';

// The admin routes (/__emulator/...) every emulator serves beside its provider API.

const startEmulator = useEmulatorsPerTest();

describe.each(EMULATOR_APIS)('$provider emulator', (api) => {
  describe('admin routes', () => {
    it('reports health', async () => {
      const emulator = await startEmulator(api);
      const answer = await call(emulatorAdminUrl(emulator.baseUrl, 'health'));

      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ status: 'ok', provider: api.provider });
    });

    it('reports the requests counted so far', async () => {
      const emulator = await startEmulator(api);
      const id = (await api.create(emulator)).json.id;
      await readAtEmulator(api, emulator, id);

      const answer = await call(emulatorAdminUrl(emulator.baseUrl, 'stats'));

      expect(answer.json).toEqual({ createRequests: 1, intentsCreated: 1, readRequests: 1 });
    });

    it('queues and clears faults over HTTP', async () => {
      const emulator = await startEmulator(api);
      const faultsUrl = emulatorAdminUrl(emulator.baseUrl, 'faults');

      expect((await postJson(faultsUrl, { status: 503 })).json).toEqual({ pending: 1 });
      expect((await postJson(faultsUrl, [{ status: 500 }, { delayMs: 10 }])).json).toEqual({ pending: 3 });
      expect((await api.create(emulator)).status).toBe(503);

      const cleared = await call(faultsUrl, { method: 'DELETE' });
      expect(cleared.json).toEqual({ pending: 0 });
      expect(emulator.faults.pending).toBe(0);
      expect((await api.create(emulator)).status).toBe(201);
    });

    it('refuses a malformed fault', async () => {
      const emulator = await startEmulator(api);
      const answer = await postJson(emulatorAdminUrl(emulator.baseUrl, 'faults'), { status: 503, delay: 10 });

      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: expect.any(String) });
      expect(emulator.faults.pending).toBe(0);
    });

    it('is never answered by a fault', async () => {
      const emulator = await startEmulator(api);
      emulator.faults.push({ status: 503 });

      expect((await call(emulatorAdminUrl(emulator.baseUrl, 'health'))).status).toBe(200);
      expect(emulator.faults.pending).toBe(1);
    });

    it('lists intents and changes their status', async () => {
      const emulator = await startEmulator(api);
      const first = await api.create(emulator);
      const second = await api.create(emulator);
      const admin = emulatorAdminUrl(emulator.baseUrl, 'payment-intents');

      const listed = await call(admin);
      expect(listed.json).toEqual([first.json, second.json]);

      const changed = await postJson(`${admin}/${first.json.id}/status`, { status: 'completed' });
      expect(changed.status).toBe(200);
      expect(changed.json.status).toBe('completed');
      expect((await readAtEmulator(api, emulator, first.json.id)).json.status).toBe('completed');

      const unknown = await postJson(`${admin}/missing/status`, { status: 'completed' });
      expect(unknown.status).toBe(404);
      const invalid = await postJson(`${admin}/${first.json.id}/status`, { state: 'completed' });
      expect(invalid.status).toBe(400);
    });
  });
});
