import { startBenchStack } from './bench-stack.ts';
import { runLoad } from './load-run.ts';
import { scenariosOf } from './scenarios.ts';

const stack = await startBenchStack({ stores: ['pglite', 'postgres'] });
try {
  const scenarios = scenariosOf(stack);
  const fresh = scenarios.find((s) => s.id === 'pglite/read-fresh')!;
  const sub = stack.subgraphs.find((s) => s.store === 'pglite' && s.freshness === 'fresh')!;
  const measure = async (label: string) => {
    const c = await runLoad(fresh, { mode: 'closed', seconds: 3, connections: 16 });
    const o = await runLoad(fresh, { mode: 'open', seconds: 3, connections: 16, rate: 2000 });
    const metrics = await (await fetch(sub.metricsUrl)).text();
    const pick = metrics.split('\n').filter((l) => /^payments_(nodejs_eventloop_lag_max_seconds|nodejs_heap_size_used_bytes|store_queries_total|nodejs_gc_duration_seconds_sum)/.test(l));
    console.log(label, c.throughput.toFixed(0), o.latency.p50, o.latency.p99, pick.join(' | '));
  };
  await measure('start');
  for (const s of scenarios) {
    await runLoad(s, { mode: 'closed', seconds: 1, connections: 16 });
    await measure(`after ${s.id}`);
  }
} finally {
  await stack.stop();
}
