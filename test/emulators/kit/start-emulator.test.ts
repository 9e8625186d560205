import { execFile } from 'node:child_process';
import { STATUS_CODES } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EMULATOR_APIS, emulatorAdminUrl, useEmulatorsPerTest } from '../../support/emulator-admin.ts';
import { postJson } from '../../support/http.ts';

// What every emulator's server does whatever the provider: body limits, and a close() that ends
// everything at once.

const startEmulator = useEmulatorsPerTest();

describe.each(EMULATOR_APIS)('$provider emulator', (api) => {
  it('answers an oversized body with a provider-style 413', async () => {
    const emulator = await startEmulator(api);
    const answer = await postJson(`${emulator.baseUrl}/anything`, `"${'x'.repeat(1024 * 1024)}"`);

    expect(answer.status).toBe(413);
    expect(answer.json).toEqual(api.faultBody(413, STATUS_CODES[413] ?? ''));
  });

  it('close() drops keep-alive and in-flight connections, and can be called twice', async () => {
    const emulator = await api.start();
    expect((await api.create(emulator)).status).toBe(201);
    emulator.faults.push({ delayMs: 60_000 });
    const inFlight = api.create(emulator).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => emulator.faults.pending, { interval: 5 }).toBe(0);

    await emulator.close();
    await emulator.close();

    expect(await inFlight).toBe('dropped');
    await expect(fetch(emulatorAdminUrl(emulator.baseUrl, 'health'))).rejects.toThrow();
  });

  it('close() does not wait for a client stuck halfway through its request', async () => {
    const emulator = await api.start();
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
      const { ${api.startModule.name} } = await import(${JSON.stringify(api.startModule.url)});
      const emulator = await ${api.startModule.name}();
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
});

/** Runs Node with these arguments; a child still running after timeoutMs is killed (signal SIGTERM). */
function runNode(args: string[], timeoutMs: number) {
  return new Promise<{ exitCode: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, args, { timeout: timeoutMs }, (_error, stdout, stderr) => {
      resolve({ exitCode: child.exitCode, signal: child.signalCode, stdout, stderr });
    });
  });
}
