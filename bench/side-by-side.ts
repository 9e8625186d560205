import { runLoad, type MeasuredLoad } from './load-run.ts';
import { residentMemory } from './process-usage.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchSettings } from './settings.ts';

/** The figures of one scenario: medians over the rounds. */
export interface ScenarioFigures {
  readonly id: string;
  readonly label: string;
  readonly store: Scenario['store'];
  readonly targeted: boolean;
  /** Requests per second at saturation (closed loop). */
  readonly throughput: number;
  /** Requests per second of the latency runs (open loop). */
  readonly rate: number;
  /** False when the scenario's saturation is below the fixed rate: it was measured at half its own. */
  readonly atFixedRate: boolean;
  /** Milliseconds, from when each request was due. */
  readonly latency: { readonly p50: number; readonly p99: number; readonly p999: number };
  /** CPU time of the server process per answered request at saturation, µs. */
  readonly cpuPerRequestUs: number;
  readonly peakRssMb: number;
  readonly startupMs: number;
  /** Failed or unanswered requests over all runs. */
  readonly failed: number;
  readonly firstFailure: string | null;
}

export interface SideBySide {
  /** Half the bare proxy's saturation: the rate of every latency run. */
  readonly fixedRate: number;
  readonly scenarios: readonly ScenarioFigures[];
}

/**
 * Every scenario in turn, round after round, in alternating order: saturation runs first, then
 * latency runs at a fixed rate of half the bare proxy's saturation. Each round weighs on every
 * scenario alike when the machine is noisy, and the medians are quoted.
 */
export async function measureSideBySide(
  scenarios: readonly Scenario[],
  settings: BenchSettings,
  progress: (line: string) => void,
): Promise<SideBySide> {
  const bare = scenarios.find((scenario) => scenario.kind === 'bare-proxy')!;
  const saturated = new Map<Scenario, MeasuredLoad[]>(scenarios.map((scenario) => [scenario, []]));
  const latencies = new Map<Scenario, MeasuredLoad[]>(scenarios.map((scenario) => [scenario, []]));

  progress(`warm-up: ${settings.warmupSeconds} s of each scenario at saturation`);
  for (const scenario of scenarios) await runLoad(scenario, saturation(settings.warmupSeconds, settings));
  for (const [round, scenario] of alternatingRounds(scenarios, settings.rounds)) {
    const measured = await runLoad(scenario, saturation(settings.seconds, settings));
    saturated.get(scenario)!.push(measured);
    progress(`saturation round ${round + 1}: ${scenario.id} ${measured.throughput.toFixed(0)} req/s`);
  }
  const throughputOf = (scenario: Scenario) => median(saturated.get(scenario)!.map((run) => run.throughput));
  const fixedRate = Math.round(throughputOf(bare) / 2);

  const rateOf = (scenario: Scenario) =>
    throughputOf(scenario) >= fixedRate * 1.1 ? fixedRate : Math.max(1, Math.round(throughputOf(scenario) / 2));
  for (const [round, scenario] of alternatingRounds(scenarios, settings.rounds)) {
    const rate = rateOf(scenario);
    const measured = await runLoad(scenario, { mode: 'open', seconds: settings.seconds, connections: 256, rate });
    latencies.get(scenario)!.push(measured);
    progress(`latency round ${round + 1}: ${scenario.id} at ${rate}/s p99 ${measured.latency.p99.toFixed(2)} ms`);
  }

  return {
    fixedRate,
    scenarios: scenarios.map((scenario) => {
      const saturation = saturated.get(scenario)!;
      const latency = latencies.get(scenario)!;
      const all = [...saturation, ...latency];
      const answered = saturation.reduce((sum, run) => sum + run.completed, 0);
      const cpu = saturation.reduce((sum, run) => sum + run.serverCpuSeconds, 0);
      return {
        id: scenario.id,
        label: scenario.label,
        store: scenario.store,
        targeted: scenario.targeted,
        throughput: throughputOf(scenario),
        rate: rateOf(scenario),
        atFixedRate: rateOf(scenario) === fixedRate,
        latency: {
          p50: median(latency.map((run) => run.latency.p50)),
          p99: median(latency.map((run) => run.latency.p99)),
          p999: median(latency.map((run) => run.latency.p999)),
        },
        cpuPerRequestUs: (cpu / answered) * 1e6,
        peakRssMb: residentMemory(scenario.server.pid).peakRssMb,
        startupMs: scenario.server.startupMs,
        failed: all.reduce((sum, run) => sum + run.failed + run.unanswered, 0),
        firstFailure: all.find((run) => run.firstFailure !== null)?.firstFailure ?? null,
      };
    }),
  };
}

function saturation(seconds: number, settings: BenchSettings) {
  return { mode: 'closed', seconds, connections: settings.connections } as const;
}

/**
 * [round, scenario] pairs: every scenario once per round, each kind on every store back to back
 * (stores compare at the same moment of the machine), in that order in even rounds and in reverse in
 * odd ones. The machine's speed drifts during a run (BENCHMARKS.md, "How it measures"): measured
 * always in the same order, the scenarios measured late would look cheaper for it.
 */
function* alternatingRounds(scenarios: readonly Scenario[], rounds: number): Generator<[number, Scenario]> {
  const kinds = [...new Set(scenarios.map((scenario) => scenario.kind))];
  const order = kinds.flatMap((kind) => scenarios.filter((scenario) => scenario.kind === kind));
  for (let round = 0; round < rounds; round += 1) {
    for (const scenario of round % 2 === 0 ? order : order.toReversed()) yield [round, scenario];
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
