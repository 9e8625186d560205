// `npm run bench`: the subgraph side by side with the physical limit of a read (BENCHMARKS.md).
// Prints a table and the extras, and writes the JSON result to BENCH_OUTPUT.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { startBenchStack, stopOnInterrupt } from './bench-stack.ts';
import { measureExtras } from './extras/extras.ts';
import { measureNoise, resultsTable, runDescription } from './results-table.ts';
import { scenariosOf } from './scenarios.ts';
import { benchSettings } from './settings.ts';
import { measureSideBySide } from './side-by-side.ts';
import { judge } from './targets.ts';

const settings = benchSettings(process.env);
const started = performance.now();
const progress = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

progress('starting the emulators, the bare proxy and the subgraphs');
const stack = await startBenchStack({ stores: settings.stores });
stopOnInterrupt(stack);
let output;
try {
  const scenarios = scenariosOf(stack);
  const extrasBeforeLoad = await measureExtras.beforeLoad(stack, progress);
  const sideBySide = await measureSideBySide(scenarios, settings, progress);
  const judged = judge(sideBySide);
  const extras = { ...extrasBeforeLoad, ...(await measureExtras.afterLoad(settings, progress)) };
  output = {
    date: new Date().toISOString(),
    machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: totalmem() / 2 ** 30 },
    node: process.version,
    settings,
    fixedRate: sideBySide.fixedRate,
    scenarios: judged,
    extras,
    seconds: (performance.now() - started) / 1000,
  };
  console.log(`\n${runDescription(settings, sideBySide.fixedRate)}, ${output.machine.cores} cores\n`);
  console.log(resultsTable(judged));
  console.log(`\n${measureNoise(judged)}`);
  for (const { id, failed, firstFailure } of judged.filter((figures) => figures.failed > 0))
    console.log(`${id}: ${failed} requests failed or unanswered; the first: ${firstFailure ?? 'unanswered'}`);
  console.log(`\n${measureExtras.describe(extras)}`);
} finally {
  await stack.stop();
}
await mkdir(dirname(settings.output), { recursive: true });
await writeFile(settings.output, `${JSON.stringify(output, null, 2)}\n`);
console.log(`\nJSON result: ${settings.output} (${output.seconds.toFixed(0)} s)`);
