import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import type { Provider } from '../bench-stack.ts';
import { freePort } from '../free-port.ts';
import { startServer, type ServerProcess } from '../server-process.ts';

const BATCH = 1_000;
const CONCURRENCY = 4;

export interface EmulatorCreates {
  readonly creates: number;
  /** Seconds of each thousand creates, in order. */
  readonly secondsPerThousand: readonly number[];
  /** The last thousand's time over the first's: 1 is flat. */
  readonly lastOverFirst: number;
  /** Intents both emulators still list after a restart on their state files. */
  readonly intentsAfterRestart: number;
  readonly restartMs: number;
}

/**
 * Creates at the emulators as `npm start` embeds them (with state files), Zopay and Ziina in turn,
 * `CONCURRENCY` at a time; then a restart on the same files, which must find every intent.
 */
export async function measureEmulatorCreates(creates: number): Promise<EmulatorCreates> {
  const directory = await mkdtemp(join(tmpdir(), 'payments-bench-emulators-'));
  try {
    const first = await startEmulators(directory);
    const secondsPerThousand: number[] = [];
    try {
      const clients = providersOf(first).map(({ baseUrl, apiKey }, index) => ({
        pool: new Pool(new URL(baseUrl).origin, { connections: CONCURRENCY }),
        create: (sequence: number) => createRequest(index === 0 ? 'zopay' : 'ziina', baseUrl, apiKey, sequence),
      }));
      let sequence = 0;
      while (sequence < creates) {
        const started = performance.now();
        const batchEnd = Math.min(creates, sequence + BATCH);
        const worker = async () => {
          while (sequence < batchEnd) {
            sequence += 1;
            const client = clients[sequence % clients.length]!;
            const answer = await client.pool.request(client.create(sequence));
            const text = await answer.body.text();
            if (answer.statusCode !== 201) throw new Error(`create ${sequence}: ${answer.statusCode} ${text}`);
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        secondsPerThousand.push((performance.now() - started) / 1000);
      }
      await Promise.all(clients.map((client) => client.pool.close()));
    } finally {
      await first.stop();
    }
    const second = await startEmulators(directory);
    try {
      let intentsAfterRestart = 0;
      for (const { baseUrl } of providersOf(second)) {
        const listed = (await (await fetch(new URL('/__emulator/payment-intents', baseUrl))).json()) as unknown[];
        intentsAfterRestart += listed.length;
      }
      return {
        creates,
        secondsPerThousand,
        lastOverFirst: secondsPerThousand.at(-1)! / secondsPerThousand[0]!,
        intentsAfterRestart,
        restartMs: second.startupMs,
      };
    } finally {
      await second.stop();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function startEmulators(directory: string): Promise<ServerProcess> {
  return startServer({
    name: 'emulators with state files',
    args: ['src/app/emulators-cli.ts'],
    env: {
      ZOPAY_EMULATOR_PORT: String(await freePort()),
      ZIINA_EMULATOR_PORT: String(await freePort()),
      ZOPAY_EMULATOR_STATE_FILE: join(directory, 'zopay.json'),
      ZIINA_EMULATOR_STATE_FILE: join(directory, 'ziina.json'),
    },
    ready: (announced) => announced.filter((entry) => 'emulator' in entry).length === 2,
  });
}

/** Zopay first, then Ziina, as the emulators announce them. */
function providersOf(emulators: ServerProcess): Provider[] {
  return ['zopay', 'ziina'].map(
    (name) => emulators.announced.find((entry) => entry.emulator === name) as unknown as Provider,
  );
}

function createRequest(provider: 'zopay' | 'ziina', baseUrl: string, apiKey: string, sequence: number) {
  const { pathname } = new URL(baseUrl);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  return provider === 'zopay'
    ? {
        method: 'POST' as const,
        path: `${pathname}/payment-intents`,
        headers: { ...headers, 'idempotency-key': `bench-${sequence}` },
        body: JSON.stringify({ amount: '10.00', currencies: ['USDT'] }),
      }
    : {
        method: 'POST' as const,
        path: `${pathname}/payment_intent`,
        headers,
        body: JSON.stringify({ amount: 1050, currency_code: 'AED', message: `Order ${sequence}` }),
      };
}
