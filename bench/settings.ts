import type { Store } from './bench-stack.ts';

/** The knobs of `npm run bench` and its sub-commands, from the environment; the defaults keep `npm run bench` within about 21 minutes. */
export interface BenchSettings {
  /** Seconds of each measured saturation run (BENCH_SECONDS). */
  readonly seconds: number;
  /** Seconds of each measured latency run, at the fixed rate (BENCH_LATENCY_SECONDS). */
  readonly latencySeconds: number;
  /** Seconds of load each scenario gets at least before its first measured run; more while it still settles (BENCH_WARMUP_SECONDS). */
  readonly warmupSeconds: number;
  /** Rounds of every scenario, in an order that reverses from round to round (BENCH_ROUNDS). */
  readonly rounds: number;
  /** Keep-alive connections of the saturation runs (BENCH_CONNECTIONS). */
  readonly connections: number;
  readonly stores: readonly Store[];
  /** Where the JSON result goes (BENCH_OUTPUT). */
  readonly output: string;
  /** Creates sent to the embedded emulators (BENCH_EMULATOR_CREATES, 0 skips). */
  readonly emulatorCreates: number;
  /** Operations of `npm run bench:memory` on each store (BENCH_MEMORY_OPERATIONS). */
  readonly memoryOperations: number;
  /** Requests of each scenario whose allocations `npm run bench:allocation` samples (BENCH_ALLOCATION_REQUESTS). */
  readonly allocationRequests: number;
}

export function benchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
    return value;
  };
  const stores = (env.BENCH_STORES ?? 'pglite,postgres').split(',').map((store) => store.trim());
  if (stores.some((store) => store !== 'pglite' && store !== 'postgres'))
    throw new Error('BENCH_STORES must list pglite and/or postgres');
  return {
    seconds: number('BENCH_SECONDS', 3),
    // A p99 over 3 s is the worst 1 % of a few thousand requests, set by whether one pause of the
    // machine fell in the run: the bare proxy's own p99 spread over 22–110 ms in six such runs, and
    // over 15–27 ms in six runs of 10 s (BENCHMARKS.md, "How it measures").
    latencySeconds: number('BENCH_LATENCY_SECONDS', 10),
    // V8 keeps optimising a path as long as it finds new hot code in it: the read that asks its
    // provider runs through the most code, and a process given 5 s of it still cost 12–59 % more CPU
    // per request than one given 40 s over the next 9 s (BENCHMARKS.md, ninth round).
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 15),
    // Three, so that the median is one run's figure and one disturbed run cannot move it.
    rounds: Math.max(1, Math.round(number('BENCH_ROUNDS', 3))),
    connections: Math.max(1, Math.round(number('BENCH_CONNECTIONS', 16))),
    stores: stores as Store[],
    output: env.BENCH_OUTPUT ?? 'bench/results/latest.json',
    emulatorCreates: Math.round(number('BENCH_EMULATOR_CREATES', 10_000)),
    memoryOperations: Math.max(10, Math.round(number('BENCH_MEMORY_OPERATIONS', 100_000))),
    allocationRequests: Math.max(100, Math.round(number('BENCH_ALLOCATION_REQUESTS', 5_000))),
  };
}
