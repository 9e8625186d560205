import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  DataDirectoryInUseError,
  LOCK_SOCKET_FILE,
  lockDataDirectory,
  type LockNamespace,
} from '../../../src/store/data-directory-lock.ts';
import { useStoppedAfterEach } from '../../support/lifecycle.ts';
import { killSubgraph, spawnSubgraph, type SubgraphProcess } from '../../support/subgraph-process.ts';

// Every property with real processes: a holder is its own `node` process (it takes the lock and
// keeps it until killed), this test process is the second one.

const removeAfterTest = useStoppedAfterEach((folder: string) => rm(folder, { recursive: true, force: true }));
const freshDataDir = () => removeAfterTest(mkdtemp(join(tmpdir(), 'payments-lock-')));
// Registered last so that it runs first: a holder is gone before its folder is removed.
const killAfterTest = useStoppedAfterEach(killSubgraph);

const HOLDER = 'test/support/data-directory-lock-holder.ts';
const STALL = './test/support/event-loop-stall.ts';
const STALL_MS = 10_000;

function startHolder(dataDir: string, namespace: LockNamespace): Promise<SubgraphProcess> {
  return killAfterTest(
    spawnSubgraph(process.execPath, ['--import', STALL, HOLDER, dataDir, namespace], {
      TEST_EVENT_LOOP_STALL_MS: String(STALL_MS),
    }),
  );
}

const outcome = (entry: Record<string, unknown>) => entry.msg === 'locked' || entry.msg === 'refused';

async function holdLock(dataDir: string, namespace: LockNamespace): Promise<SubgraphProcess> {
  const holder = await startHolder(dataDir, namespace);
  expect((await holder.waitForLog(outcome)).msg).toBe('locked');
  return holder;
}

// Linux has both; elsewhere only socket files exist.
const namespaces: LockNamespace[] = process.platform === 'linux' ? ['abstract', 'file'] : ['file'];

describe.each(namespaces)('the lock of DATA_DIR in the %s namespace', (namespace) => {
  it('refuses a second process with a message naming the folder', async () => {
    const dataDir = await freshDataDir();
    await holdLock(dataDir, namespace);
    const refused = lockDataDirectory(dataDir, namespace);
    await expect(refused).rejects.toThrow(DataDirectoryInUseError);
    await expect(refused).rejects.toThrow(
      `DATA_DIR ${dataDir} is in use by another process. The embedded store serves one process: ` +
        'give this one its own DATA_DIR, or set DATABASE_URL so that replicas share PostgreSQL.',
    );
  });

  it('is free the moment its process is killed', async () => {
    const dataDir = await freshDataDir();
    await killSubgraph(await holdLock(dataDir, namespace));
    // A socket file outlives its process; a name in the abstract namespace leaves nothing behind.
    expect(existsSync(join(dataDir, LOCK_SOCKET_FILE))).toBe(namespace === 'file');

    const startedAt = performance.now();
    const release = await lockDataDirectory(dataDir, namespace);
    const tookMs = performance.now() - startedAt;
    console.log(`[figures] ${namespace} lock taken ${tookMs.toFixed(1)} ms after its owner was SIGKILLed`);
    expect(tookMs).toBeLessThan(1_000);
    await release();
  });

  it('goes to exactly one of several processes starting at once after its owner was killed', async () => {
    const dataDir = await freshDataDir();
    await killSubgraph(await holdLock(dataDir, namespace));
    const contenders = await Promise.all(Array.from({ length: 5 }, () => startHolder(dataDir, namespace)));
    const outcomes = await Promise.all(contenders.map(async (contender) => (await contender.waitForLog(outcome)).msg));
    expect(outcomes.filter((msg) => msg === 'locked')).toHaveLength(1);
    expect(outcomes.filter((msg) => msg === 'refused')).toHaveLength(contenders.length - 1);
  });

  it(
    `is kept by a process whose event loop is blocked for ${STALL_MS / 1000} s, which lives on`,
    { timeout: STALL_MS + 20_000 },
    async () => {
      const dataDir = await freshDataDir();
      const holder = await holdLock(dataDir, namespace);
      holder.kill('SIGUSR2');
      await holder.waitForLog((entry) => entry.msg === 'event loop stall started');
      const stallEnded = holder.waitForLog((entry) => entry.msg === 'event loop stall ended', STALL_MS + 10_000);

      // Attempts all through the stall, well past the moment a lock refreshed by a timer goes stale.
      let refusals = 0;
      for (let second = 1; second < STALL_MS / 1000; second += 1) {
        await sleep(1_000);
        await expect(lockDataDirectory(dataDir, namespace)).rejects.toThrow(DataDirectoryInUseError);
        refusals += 1;
      }
      const { stalledMs } = (await stallEnded) as { stalledMs: number };
      expect(stalledMs).toBeGreaterThanOrEqual(STALL_MS);
      await sleep(200);
      expect(holder.child.exitCode).toBeNull();
      expect(holder.stderr).toEqual([]);
      await expect(lockDataDirectory(dataDir, namespace)).rejects.toThrow(DataDirectoryInUseError);
      console.log(
        `[figures] ${namespace} lock kept through a ${stalledMs} ms event-loop stall: ${refusals + 1} takeover attempts refused`,
      );
    },
  );
});
