// `npm run bench:compare -- <checkout>...`: one scenario of this checkout's subgraph side by side with
// the same scenario of other checkouts of this repository (a branch in a `git worktree`, its
// dependencies installed), and with the bare proxy and Apollo Server alone, in one run: the way to
// tell what a change of the hot path is worth on a machine whose speed moves more than the change
// (BENCHMARKS.md). BENCH_COMPARE_SCENARIO (read-stale) picks the scenario; the other knobs are
// `npm run bench`'s, and each store of BENCH_STORES gets one subgraph per checkout.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBenchStack, stopOnInterrupt, type Freshness } from './bench-stack.ts';
import { markdownTable, measureNoise, runDescription, signed } from './results-table.ts';
import { scenariosOf, type ScenarioKind } from './scenarios.ts';
import { benchSettings } from './settings.ts';
import { measureSideBySide } from './side-by-side.ts';
import { judge } from './targets.ts';

/** The scenarios worth comparing, each with the subgraph it needs and Apollo Server alone's counterpart. */
const COMPARABLE: Partial<Record<ScenarioKind, { freshness: Freshness; yardstick: ScenarioKind }>> = {
  'read-stale': { freshness: 'stale', yardstick: 'apollo-provider-get' },
  'read-fresh': { freshness: 'fresh', yardstick: 'apollo-alone' },
  'create-replayed': { freshness: 'fresh', yardstick: 'apollo-alone' },
  'create-replayed-ziina': { freshness: 'fresh', yardstick: 'apollo-alone' },
};

const settings = benchSettings(process.env);
const kind = (process.env.BENCH_COMPARE_SCENARIO ?? 'read-stale') as ScenarioKind;
const comparable = COMPARABLE[kind];
if (comparable === undefined)
  throw new Error(`BENCH_COMPARE_SCENARIO must be one of ${Object.keys(COMPARABLE).join(', ')}`);
const checkouts = process.argv.slice(2).map((folder) => resolve(folder));
const notCheckouts = checkouts.filter((folder) => !existsSync(resolve(folder, 'src/main.ts')));
if (checkouts.length === 0 || notCheckouts.length > 0)
  throw new Error(`give the folders of other checkouts of this repository; not one: ${notCheckouts.join(', ')}`);

const started = performance.now();
const progress = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
progress(`starting the emulators, the yardsticks and ${String(checkouts.length + 1)} subgraphs per store`);
const stack = await startBenchStack({ stores: settings.stores, freshness: [comparable.freshness], checkouts });
stopOnInterrupt(stack);
try {
  const scenarios = scenariosOf(stack).filter((scenario) =>
    ['bare-proxy', comparable.yardstick, kind].includes(scenario.kind),
  );
  const judged = judge(await measureSideBySide(scenarios, settings, progress));
  const thisCheckout = (store: string) => judged.find((figures) => figures.id === `${store}/${kind}`)!;
  const rows = judged.map((figures) => [
    figures.id,
    figures.throughput.toFixed(0),
    figures.paired.throughputRatio.toFixed(2),
    figures.store === 'limit' ? '' : (figures.throughput / thisCheckout(figures.store).throughput).toFixed(2),
    figures.cpuPerRequestUs.toFixed(0),
    signed(figures.paired.p99AboveBareMs),
    String(figures.failed),
  ]);
  console.log(`\n${runDescription(settings, judged[0]!.rate)}\n`);
  console.log(
    markdownTable(['scenario', 'req/s', '× bare', '× this checkout', 'CPU µs/req', 'p99 − bare ms', 'failed'], rows),
  );
  console.log(`\n${measureNoise(judged)}`);
} finally {
  await stack.stop();
}
