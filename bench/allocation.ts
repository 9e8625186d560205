// `npm run bench:allocation`: bytes allocated per request in each scenario, the bare proxy's and
// Apollo Server alone's included, from V8's sampling heap profiler (bench/heap-sampling-preload.ts)
// counting every allocation, collected since or not. On a shared machine CPU time and latency move
// with the hour; what a request allocates is set by the code alone, and it is what the garbage
// collector's pauses are paid for. BENCH_ALLOCATION_REQUESTS (5,000) sets the requests sampled per
// scenario, after the benchmark's warm-up (bench/warm-up.ts); BENCH_STORES the stores.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseAllocations, type AllocationSummary } from './allocation-summary.ts';
import { startBenchStack, stopOnInterrupt } from './bench-stack.ts';
import { HEAP_SAMPLING_NODE_OPTIONS, sampleHeap } from './heap-sampling.ts';
import { runLoad } from './load-run.ts';
import { markdownTable } from './results-table.ts';
import { scenariosOf, type Scenario } from './scenarios.ts';
import { benchSettings } from './settings.ts';
import { warmUp } from './warm-up.ts';

const TOP_PACKAGES = 3;
const TOP_FUNCTIONS = 12;

const settings = benchSettings(process.env);
const requests = settings.allocationRequests;
const directory = await mkdtemp(join(tmpdir(), 'payments-bench-heap-'));
// Read by the preload in every server process the stack starts (they inherit this environment).
process.env.BENCH_HEAP_PROFILE_DIR = directory;
const stack = await startBenchStack({
  stores: settings.stores,
  subgraphNodeOptions: () => HEAP_SAMPLING_NODE_OPTIONS,
  yardstickNodeOptions: HEAP_SAMPLING_NODE_OPTIONS,
});
stopOnInterrupt(stack);
const measured: { scenario: Scenario; summary: AllocationSummary }[] = [];
try {
  // The provider emulator's process is not one of this service's, nor a yardstick of it.
  for (const scenario of scenariosOf(stack).filter((each) => each.server !== stack.emulators)) {
    process.stderr.write(`sampling ${scenario.id}\n`);
    await warmUp(scenario, settings);
    const { profile, result: load } = await sampleHeap(scenario.server.pid, directory, () =>
      runLoad(scenario, { mode: 'closed', seconds: 3_600, connections: settings.connections, requests }),
    );
    if (load.failed > 0) throw new Error(`${scenario.id}: ${load.failed} requests failed: ${load.firstFailure}`);
    measured.push({ scenario, summary: summariseAllocations(profile, load.completed) });
  }
} finally {
  await stack.stop();
  await rm(directory, { recursive: true, force: true });
}

const kilobytes = (bytes: number) => (bytes / 1024).toFixed(1);
const bare = measured.find(({ scenario }) => scenario.kind === 'bare-proxy')!.summary.bytesPerRequest;
console.log(
  `\nKB allocated per request, ${requests} requests per scenario after at least ${settings.warmupSeconds} s of load:\n`,
);
console.log(
  markdownTable(
    ['scenario', 'KB per request', '× bare proxy', 'most allocated by (KB per request)'],
    measured.map(({ scenario, summary }) => [
      scenario.id,
      kilobytes(summary.bytesPerRequest),
      (summary.bytesPerRequest / bare).toFixed(2),
      summary.byPackage
        .slice(0, TOP_PACKAGES)
        .map(({ name, bytesPerRequest }) => `${name} ${kilobytes(bytesPerRequest)}`)
        .join(', '),
    ]),
  ),
);
for (const { scenario, summary } of measured.filter(({ scenario }) => scenario.targeted)) {
  console.log(`\n${scenario.id}, the functions that allocate most:\n`);
  console.log(
    markdownTable(
      ['KB per request', 'function'],
      summary.byFunction.slice(0, TOP_FUNCTIONS).map(({ name, bytesPerRequest }) => [kilobytes(bytesPerRequest), name]),
    ),
  );
}
