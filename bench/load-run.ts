import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadPlan, LoadResult } from './load-plan.ts';
import { cpuSeconds } from './process-usage.ts';
import type { Scenario } from './scenarios.ts';

const run = promisify(execFile);
const GENERATOR = new URL('load-generator.ts', import.meta.url).pathname;

export type LoadShape = Pick<LoadPlan, 'mode' | 'seconds' | 'connections' | 'rate' | 'requests'>;

export interface MeasuredLoad extends LoadResult {
  /** CPU seconds the scenario's server process spent during the run. */
  readonly serverCpuSeconds: number;
}

let runs = 0;

/** One run of the load generator (a process of its own) against the scenario's server. */
export async function runLoad(scenario: Scenario, shape: LoadShape): Promise<MeasuredLoad> {
  runs += 1;
  const plan: LoadPlan = { ...scenario.request, ...shape, runId: `${process.pid}-${runs}` };
  const cpuBefore = cpuSeconds(scenario.server.pid);
  const { stdout } = await run(process.execPath, [GENERATOR, JSON.stringify(plan)], { maxBuffer: 1024 * 1024 });
  const serverCpuSeconds = cpuSeconds(scenario.server.pid) - cpuBefore;
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  if (result.completed === 0)
    throw new Error(`${scenario.id}: no request succeeded; first failure: ${result.firstFailure}`);
  return { ...result, serverCpuSeconds };
}
