// `npm run bench:profile`: where a subgraph's CPU time goes in the slowest targeted scenario of each
// store (a read or a replayed create, the slowest by a short saturation probe). The subgraphs run
// under `node --cpu-prof`; the samples of the profiled load alone are summarised by package and by
// function. BENCH_PROFILE_SECONDS (10) sets the length of the load, BENCH_STORES the stores, and
// BENCH_PROFILE_SCENARIO (e.g. read-fresh) profiles that scenario instead of the slowest.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchStack, stopOnInterrupt, type Store, type Subgraph } from './bench-stack.ts';
import { summariseProfile, type CpuProfile, type ProfileSummary } from './cpu-profile-summary.ts';
import { runLoad } from './load-run.ts';
import { markdownTable } from './results-table.ts';
import { scenariosOf, type Scenario } from './scenarios.ts';
import { benchSettings } from './settings.ts';
import { warmUp } from './warm-up.ts';

const PROBE_SECONDS = 2;
const TOP_PACKAGES = 15;
const TOP_FUNCTIONS = 20;

const settings = benchSettings(process.env);
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 10);
const chosenKind = process.env.BENCH_PROFILE_SCENARIO;
const profiles = await mkdtemp(join(tmpdir(), 'payments-bench-profiles-'));
const directoryOf = (store: Store, freshness: Subgraph['freshness']) => join(profiles, `${store}-${freshness}`);
const stack = await startBenchStack({
  stores: settings.stores,
  subgraphNodeOptions: (store, freshness) => ['--cpu-prof', `--cpu-prof-dir=${directoryOf(store, freshness)}`],
});
stopOnInterrupt(stack);
const windows: { scenario: Scenario; throughput: number; from: number; to: number }[] = [];
try {
  const scenarios = scenariosOf(stack);
  for (const store of settings.stores) {
    const candidates = scenarios.filter(
      (scenario) =>
        scenario.store === store && (chosenKind === undefined ? scenario.targeted : scenario.kind === chosenKind),
    );
    if (candidates.length === 0) throw new Error(`no scenario ${chosenKind} on ${store}`);
    const probed = [];
    // Only a choice among several needs the probe.
    for (const scenario of candidates.length === 1 ? [] : candidates) {
      const { throughput } = await runLoad(scenario, { mode: 'closed', seconds: PROBE_SECONDS, connections: 16 });
      probed.push({ scenario, throughput });
    }
    const slowest = probed.sort((a, b) => a.throughput - b.throughput)[0] ?? { scenario: candidates[0]! };
    // Warmed as in `npm run bench`, so that the profile is of the optimised code a long-running process runs.
    await warmUp(slowest.scenario, settings);
    process.stderr.write(`profiling ${slowest.scenario.id}\n`);
    const from = monotonicMicros();
    const { throughput } = await runLoad(slowest.scenario, {
      mode: 'closed',
      seconds,
      connections: settings.connections,
    });
    windows.push({ scenario: slowest.scenario, throughput, from, to: monotonicMicros() });
  }
} finally {
  // A clean stop: Node writes the profile as the process exits.
  await stack.stop();
}

for (const { scenario, throughput, from, to } of windows) {
  const subgraph = stack.subgraphs.find((candidate) => candidate.server === scenario.server)!;
  const directory = directoryOf(subgraph.store, subgraph.freshness);
  const [file] = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
  const profile = JSON.parse(await readFile(join(directory, file!), 'utf8')) as CpuProfile;
  const summary = summariseProfile(profile, from, to);
  console.log(
    `\n${scenario.id}: ${throughput.toFixed(0)} req/s over ${seconds} s, ${summary.busyMs.toFixed(0)} ms busy ` +
      `(${((summary.busyMs * 1000) / (throughput * seconds)).toFixed(0)} µs per request); profile ${join(directory, file!)}`,
  );
  console.log(describe(summary));
}

function describe(summary: ProfileSummary): string {
  const rows = (entries: ProfileSummary['byPackage'], top: number) =>
    entries.slice(0, top).map(({ name, share }) => [`${(share * 100).toFixed(1)} %`, name]);
  return [
    markdownTable(['self time', 'package, or folder of this repository'], rows(summary.byPackage, TOP_PACKAGES)),
    '',
    markdownTable(['self time', 'function'], rows(summary.byFunction, TOP_FUNCTIONS)),
  ].join('\n');
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
