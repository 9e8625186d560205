// `npm run bench:memory`: memory of a subgraph over BENCH_MEMORY_OPERATIONS operations (100,000 by
// default) on each store, the bound being 10 % growth. Apart from `npm run bench` because
// it takes minutes of its own.
import { startBenchStack, stopOnInterrupt } from './bench-stack.ts';
import { COLLECTABLE_NODE_OPTIONS } from './extras/full-collection.ts';
import { measureMemory } from './extras/memory-over-operations.ts';
import { markdownTable } from './results-table.ts';
import { scenariosOf } from './scenarios.ts';
import { benchSettings } from './settings.ts';

const settings = benchSettings(process.env);
const stack = await startBenchStack({
  stores: settings.stores,
  subgraphNodeOptions: (_store, freshness) => (freshness === 'fresh' ? COLLECTABLE_NODE_OPTIONS : []),
});
stopOnInterrupt(stack);
try {
  const scenarios = scenariosOf(stack);
  const runs = [];
  for (const subgraph of stack.subgraphs.filter((candidate) => candidate.freshness === 'fresh')) {
    process.stderr.write(`memory over ${settings.memoryOperations} operations on ${subgraph.store}\n`);
    // The read paths that fill the process's memory; creates would make it minutes longer on PGlite.
    const mix = ['read-fresh', 'entities'].map((kind) =>
      scenarios.find((scenario) => scenario.id === `${subgraph.store}/${kind}`)!,
    );
    runs.push(await measureMemory(mix, subgraph.metricsUrl, settings.memoryOperations, settings.connections));
  }
  const percent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)} %`;
  console.log(
    'paymentIntent(id) and _entities in turn; growth from the first three tenths to the last three (live heap: used heap right after a full collection):',
  );
  console.log(
    markdownTable(
      ['store', 'operations', 'RSS MB per tenth', 'RSS growth', 'live heap MB per tenth', 'heap growth', '≤ 10 %'],
      runs.map((run) => [
        run.store,
        String(run.operations),
        run.rssMb.map((mb) => mb.toFixed(0)).join(' '),
        percent(run.rssGrowth),
        run.liveHeapMb.map((mb) => mb.toFixed(0)).join(' '),
        percent(run.heapGrowth),
        run.withinBound ? 'pass' : 'FAIL',
      ]),
    ),
  );
} finally {
  await stack.stop();
}
