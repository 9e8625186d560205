// Loaded into a server process with `node --import` by `npm run bench:allocation`. SIGUSR2 starts V8's
// sampling heap profiler, counting every allocation, collected since or not; the next SIGUSR2 stops
// it. Each step is acknowledged by a file in BENCH_HEAP_PROFILE_DIR, named by the process's pid:
// `<pid>.sampling` once sampling runs, `<pid>.heapprofile` (the profile) once it has stopped.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const directory = process.env.BENCH_HEAP_PROFILE_DIR ?? '';
if (directory === '') throw new Error('BENCH_HEAP_PROFILE_DIR is not set');
const session = new Session();
session.connect();
let sampling = false;

process.on('SIGUSR2', () => void toggle());

async function toggle(): Promise<void> {
  sampling = !sampling;
  if (sampling) {
    await session.post('HeapProfiler.startSampling', {
      // V8 scales each sample to estimate every allocation; 4 KiB, against its default 32 KiB, for a
      // steadier estimate over a few thousand requests.
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    writeFileSync(join(directory, `${process.pid}.sampling`), '');
    return;
  }
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const file = join(directory, `${process.pid}.heapprofile`);
  // Renamed into place whole: the benchmark reads it as soon as it exists.
  writeFileSync(`${file}.partial`, JSON.stringify(profile));
  renameSync(`${file}.partial`, file);
}
