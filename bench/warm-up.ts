import { runLoad } from './load-run.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchSettings } from './settings.ts';

/** The warm-up's load comes in windows of at most this long, so that each one's cost can be printed. */
const WINDOW_SECONDS = 5;

/** A window at least this much cheaper than the one before says the path is still being optimised. */
const STILL_SETTLING = 0.9;

/** However long a path keeps getting cheaper, its warm-up stops at this many times the minimum. */
const MAX_WARMUP_FACTOR = 2;

/** The lengths of the windows a warm-up of this many seconds is run in. */
export function warmUpWindows(seconds: number): number[] {
  const windows: number[] = [];
  for (let left = seconds; left > 0; left -= WINDOW_SECONDS) windows.push(Math.min(WINDOW_SECONDS, left));
  return windows;
}

/** Whether the last window of a warm-up (CPU per request of each, in order) still cost clearly less than the one before. */
export function stillSettling(cpuPerRequest: readonly number[]): boolean {
  const [before, last] = cpuPerRequest.slice(-2);
  return before !== undefined && last !== undefined && last < before * STILL_SETTLING;
}

/**
 * Load at saturation before a scenario is measured, not measured itself: V8 keeps optimising a path
 * for as long as it finds new hot code in it, and a measure of a process still doing so is not one of
 * the long-running process that serves (BENCHMARKS.md, "How it measures"). At least the settings'
 * warm-up, then window after window while each still costs clearly less than the one before, up to
 * twice as long. Resolves with the server's CPU µs per request in each window, in order.
 */
export async function warmUp(scenario: Scenario, settings: BenchSettings): Promise<number[]> {
  const cpuPerRequestUs: number[] = [];
  const load = async (seconds: number) => {
    const measured = await runLoad(scenario, { mode: 'closed', seconds, connections: settings.connections });
    cpuPerRequestUs.push((measured.serverCpuSeconds / measured.completed) * 1e6);
  };
  for (const seconds of warmUpWindows(settings.warmupSeconds)) await load(seconds);
  const extraWindows = warmUpWindows(settings.warmupSeconds * (MAX_WARMUP_FACTOR - 1));
  for (const seconds of extraWindows) {
    if (!stillSettling(cpuPerRequestUs)) break;
    await load(seconds);
  }
  return cpuPerRequestUs;
}
