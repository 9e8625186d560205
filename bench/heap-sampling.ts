import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SamplingHeapProfile } from './allocation-summary.ts';

/** Node options that load the sampler into a process; it writes where BENCH_HEAP_PROFILE_DIR says. */
export const HEAP_SAMPLING_NODE_OPTIONS = [
  '--import',
  fileURLToPath(new URL('heap-sampling-preload.ts', import.meta.url)),
] as const;

/** How long a process has to acknowledge a step of its sampling. */
const ACKNOWLEDGE_TIMEOUT_MS = 30_000;

/**
 * The heap profile of a process started with HEAP_SAMPLING_NODE_OPTIONS over `load`, and only over
 * it, with the load's result (the protocol: bench/heap-sampling-preload.ts).
 */
export async function sampleHeap<T>(
  pid: number,
  directory: string,
  load: () => Promise<T>,
): Promise<{ profile: SamplingHeapProfile; result: T }> {
  const started = join(directory, `${pid}.sampling`);
  const written = join(directory, `${pid}.heapprofile`);
  process.kill(pid, 'SIGUSR2');
  await acknowledged(started);
  const result = await load();
  process.kill(pid, 'SIGUSR2');
  await acknowledged(written);
  const profile = JSON.parse(await readFile(written, 'utf8')) as SamplingHeapProfile;
  // The next sampling of the same process acknowledges with fresh files.
  await rm(written);
  await rm(started);
  return { profile, result };
}

async function acknowledged(file: string): Promise<void> {
  const deadline = performance.now() + ACKNOWLEDGE_TIMEOUT_MS;
  while (!existsSync(file)) {
    if (performance.now() > deadline) throw new Error(`no ${file} within ${ACKNOWLEDGE_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}
