import { runLoad } from './load-run.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchSettings } from './settings.ts';

/** The warm-up's load comes in windows of at most this long, so that each one's cost can be printed. */
const WINDOW_SECONDS = 5;

/** The lengths of the windows a warm-up of this many seconds is run in. */
export function warmUpWindows(seconds: number): number[] {
  const windows: number[] = [];
  for (let left = seconds; left > 0; left -= WINDOW_SECONDS) windows.push(Math.min(WINDOW_SECONDS, left));
  return windows;
}

/**
 * Load at saturation before a scenario is measured, not measured itself: V8 keeps optimising a path
 * for as long as it finds new hot code in it, and a measure of a process still doing so is not one of
 * the long-running process that serves (BENCHMARKS.md, "How it measures"). Resolves with the server's
 * CPU µs per request in each window, in order: a warm-up whose last windows cost alike had settled.
 */
export async function warmUp(scenario: Scenario, settings: BenchSettings): Promise<number[]> {
  const cpuPerRequestUs: number[] = [];
  for (const seconds of warmUpWindows(settings.warmupSeconds)) {
    const load = await runLoad(scenario, { mode: 'closed', seconds, connections: settings.connections });
    cpuPerRequestUs.push((load.serverCpuSeconds / load.completed) * 1e6);
  }
  return cpuPerRequestUs;
}
