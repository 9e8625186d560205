import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentMemory } from '../process-usage.ts';
import { startServer } from '../server-process.ts';
import { startArguments } from '../../test/support/app-runtime-facts.ts';

export interface EmbeddedStoreStart {
  /** `npm start` as a newcomer runs it: embedded store and emulators, an empty data folder. */
  readonly firstOpen: { readonly ms: number; readonly rssMb: number };
  /** The same folder again: the store exists and is migrated. */
  readonly reopen: { readonly ms: number; readonly rssMb: number };
}

export async function measureEmbeddedStoreStart(): Promise<EmbeddedStoreStart> {
  const dataDir = await mkdtemp(join(tmpdir(), 'payments-bench-start-'));
  const args = await startArguments();
  const startOnce = async () => {
    const server = await startServer({
      name: 'subgraph on its embedded store',
      args,
      env: { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
      ready: (announced) => announced.some((entry) => entry.msg === 'payments subgraph listening'),
    });
    const figures = { ms: server.startupMs, rssMb: residentMemory(server.pid).rssMb };
    await server.stop();
    return figures;
  };
  try {
    return { firstOpen: await startOnce(), reopen: await startOnce() };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
