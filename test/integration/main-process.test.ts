import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { queueFault } from '../support/emulator-admin.ts';
import { postGraphQL } from '../support/http.ts';
import { useStoppedAfterEach } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { killSubgraph, spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';

/** Each process its own embedded store: DATA_DIR is locked by the process that uses it. */
const removeAfterTest = useStoppedAfterEach((dataDir: string) => rm(dataDir, { recursive: true, force: true }));
const freshDataDir = () => removeAfterTest(mkdtemp(join(tmpdir(), 'payments-main-')));
// Registered last so that it runs first: a process is gone before its DATA_DIR is removed.
const killAfterTest = useStoppedAfterEach(killSubgraph);

// npm start opens PGlite (seconds on a busy machine) before it listens.
const PROCESS_TEST_TIMEOUT_MS = 60_000;

const listening = (entry: Record<string, unknown>) => entry.msg === 'payments subgraph listening';

describe('npm start on a fresh setup, without any provider key', () => {
  it(
    'starts both emulators, says so, and serves creates and reads on /graphql',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const running = await killAfterTest(
        spawnSubgraph('npm', ['start', '--silent'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: await freshDataDir() }),
      );
      const { graphqlUrl } = (await running.waitForLog(listening, PROCESS_TEST_TIMEOUT_MS)) as { graphqlUrl: string };
      const announcements = running.logs.filter((entry) => String(entry.msg).includes('using the built-in'));
      expect(announcements.map((entry) => entry.provider)).toEqual(['ZOPAY', 'ZIINA']);

      const zopay = await postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, {
        input: zopayCreateInput({ amount: '25.00' }, 'smoke-zopay'),
      });
      const ziina = await postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, {
        input: ziinaCreateInput({ amountMinor: 2500 }, 'smoke-ziina'),
      });
      for (const answer of [zopay, ziina]) {
        const payload = answer.json.data.createPaymentIntent as CreatePayload;
        expect(payload.userErrors).toEqual([]);
        const read = await postGraphQL(graphqlUrl, GET_PAYMENT_INTENT, { id: payload.paymentIntent!.id });
        expect(read.json.data.paymentIntent.amount).toEqual({
          amount: '25.00',
          currency: payload.paymentIntent!.amount.currency,
        });
      }
    },
  );
});

/** `node src/main.ts` on the embedded store and the built-in emulators, once it listens. */
async function startMain(dataDir: string): Promise<{
  running: SubgraphProcess;
  graphqlUrl: string;
  zopayEmulator: string;
  startedInMs: number;
}> {
  const startedAt = performance.now();
  const running = await killAfterTest(
    spawnSubgraph(process.execPath, ['src/main.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }),
  );
  const { graphqlUrl } = (await running.waitForLog(listening, PROCESS_TEST_TIMEOUT_MS)) as { graphqlUrl: string };
  const zopayEmulator = running.logs.find((entry) => entry.provider === 'ZOPAY' && entry.baseUrl !== undefined)!
    .baseUrl as string;
  return { running, graphqlUrl, zopayEmulator, startedInMs: performance.now() - startedAt };
}

const draining = (entry: Record<string, unknown>) => entry.msg === 'shutting down: draining in-flight requests';

describe('graceful shutdown on SIGTERM', () => {
  it('stops accepting, finishes the in-flight create, and exits 0', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const { running, graphqlUrl, zopayEmulator } = await startMain(await freshDataDir());
    // Make the provider slow through the emulator's admin route, so the create is in flight at SIGTERM.
    await queueFault(zopayEmulator, { method: 'POST', delayMs: 1_500 });

    const inFlight = postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, {
      input: zopayCreateInput({}, 'drain-1'),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.kill('SIGTERM');
    await running.waitForLog(draining);

    await expect(fetch(graphqlUrl.replace('/graphql', '/health/live'))).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((answer.json.data.createPaymentIntent as CreatePayload).paymentIntent?.id).toMatch(/^zopay:/);
    expect(await running.exited).toBe(0);
    expect(running.logs.at(-1)?.msg).toBe('stopped');
  });

  it(
    'stops cleanly five times in a row on one DATA_DIR, and each restart starts at once with what was stored',
    { timeout: 5 * PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const dataDir = await freshDataDir();
      const startsMs: number[] = [];
      const stopsMs: number[] = [];
      const created: string[] = [];
      for (let round = 1; round <= 5; round += 1) {
        const { running, graphqlUrl, startedInMs } = await startMain(dataDir);
        startsMs.push(startedInMs);
        // Everything stored before stays: the previous rounds' intents are read from the store.
        for (const id of created) {
          const read = await postGraphQL(graphqlUrl, GET_PAYMENT_INTENT, { id });
          expect(read.json.data.paymentIntent.id).toBe(id);
        }
        const answer = await postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, {
          input: zopayCreateInput({}, `restart-round-${round}`),
        });
        created.push((answer.json.data.createPaymentIntent as CreatePayload).paymentIntent!.id);

        const signalledAt = performance.now();
        running.kill('SIGTERM');
        expect(await running.exited).toBe(0);
        stopsMs.push(performance.now() - signalledAt);
        expect(running.logs.at(-1)?.msg).toBe('stopped');
        expect(running.logs.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
      }
      const rounded = (values: number[]) => values.map((value) => Math.round(value)).join(', ');
      console.log(`[figures] SIGTERM to exit 0, five rounds on one DATA_DIR (ms): ${rounded(stopsMs)}`);
      console.log(`[figures] spawn to listening, each right after the previous exit (ms): ${rounded(startsMs)}`);
    },
  );

  it(
    'lets a start that a SIGTERM interrupts complete, then stops it cleanly',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const running = await killAfterTest(
        spawnSubgraph(process.execPath, ['src/main.ts'], {
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: await freshDataDir(),
        }),
      );
      // The store is open and migrated; the emulators and the HTTP server are still to come.
      await running.waitForLog((entry) => entry.msg === 'store ready', PROCESS_TEST_TIMEOUT_MS);
      running.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      expect(running.logs.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining(['shutting down: draining in-flight requests', 'payments subgraph listening']),
      );
      expect(running.logs.at(-1)?.msg).toBe('stopped');
    },
  );

  it('exits at once with 1 on a second signal during a slow drain', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const { running, graphqlUrl, zopayEmulator } = await startMain(await freshDataDir());
    // Longer than SHUTDOWN_GRACE_MS (10 s): the drain would wait the whole grace period.
    await queueFault(zopayEmulator, { method: 'POST', delayMs: 30_000 });
    const inFlight = postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, { input: zopayCreateInput({}, 'slow-drain') });
    inFlight.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.kill('SIGTERM');
    await running.waitForLog(draining);

    const secondAt = performance.now();
    running.kill('SIGTERM');
    expect(await running.exited).toBe(1);
    const exitMs = performance.now() - secondAt;
    console.log(`[figures] second SIGTERM during a slow drain to exit 1: ${exitMs.toFixed(0)} ms`);
    expect(exitMs).toBeLessThan(2_000);
    expect(running.logs.at(-1)?.msg).toBe('second signal while stopping: exiting now');
  });
});

describe('bad configuration', () => {
  it('names every bad variable, never its value, and exits non-zero before listening', async () => {
    const running = await killAfterTest(
      spawnSubgraph(process.execPath, ['src/main.ts'], {
        PORT: 'eighty',
        ZOPAY_API_KEY: 'pk_live_not_a_secret_key_format',
        ZIINA_BASE_URL: 'https://api-v2.ziina.com/api',
        PROVIDER_DEADLINE_MS: '60000',
      }),
    );
    expect(await running.exited).toBe(1);
    const stderr = running.stderr.join('\n');
    expect(stderr).toContain('Invalid configuration');
    for (const variable of ['PORT', 'ZOPAY_API_KEY', 'ZIINA_API_KEY', 'PROVIDER_DEADLINE_MS'])
      expect(stderr).toContain(variable);
    expect(stderr).not.toContain('pk_live_not_a_secret_key_format');
    expect(running.logs.some(listening)).toBe(false);
  });

  it('reports a database password the driver could not decode as a problem of DATABASE_URL', async () => {
    const running = await killAfterTest(
      spawnSubgraph(process.execPath, ['src/main.ts'], {
        DATABASE_URL: 'postgres://payments:TOPSECRET%zz@127.0.0.1:5432/payments',
        LOG_LEVEL: 'verbose',
      }),
    );
    expect(await running.exited).toBe(1);
    const stderr = running.stderr.join('\n');
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toContain('  - LOG_LEVEL ');
    expect(stderr).toContain('  - DATABASE_URL must percent-encode its user name and password');
    expect(stderr).not.toContain('TOPSECRET');
    expect(running.logs.some(listening)).toBe(false);
  });
});
