import { runLoad, type MeasuredLoad } from './load-run.ts';
import { residentMemory } from './process-usage.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchSettings } from './settings.ts';
import { warmUp } from './warm-up.ts';

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
  /**
   * Against the bare proxy's run nearest in time, run by run (medians): throughput over its
   * throughput, p99 minus its p99. The bare proxy's own figures are against its nearest other run:
   * what the measure reads when nothing differs, its noise.
   */
  readonly paired: PairedFigures;
}

export interface PairedFigures {
  readonly throughputRatio: number;
  readonly p99AboveBareMs: number;
  /** Each run's figure (one a round; the bare proxy's one per run of it), in the order they ran. */
  readonly runs: readonly { readonly throughputRatio: number; readonly p99AboveBareMs: number }[];
}

export interface SideBySide {
  /** Half the bare proxy's saturation: the rate of every latency run. */
  readonly fixedRate: number;
  readonly scenarios: readonly ScenarioFigures[];
}

/** One measured run, where it fell in its phase: the bare proxy's run nearest to it is its reference. */
export interface Run {
  readonly round: number;
  readonly position: number;
  readonly scenario: Scenario;
  readonly measured: MeasuredLoad;
}

/**
 * Every scenario in turn, round after round, in alternating order: saturation runs first, then
 * latency runs at a fixed rate of half the bare proxy's saturation. Each round weighs on every
 * scenario alike when the machine is noisy, and the medians are quoted. The bare proxy runs again
 * beside every targeted kind, and each run is judged against the bare proxy's run nearest in time:
 * the machine's speed drifts over minutes, more than a target's margin.
 */
export async function measureSideBySide(
  scenarios: readonly Scenario[],
  settings: BenchSettings,
  progress: (line: string) => void,
): Promise<SideBySide> {
  const bare = scenarios.find((scenario) => scenario.kind === 'bare-proxy')!;
  const sequence = [...alternatingRounds(scenarios, settings.rounds)];

  progress(`warm-up: at least ${settings.warmupSeconds} s of each scenario at saturation, longer while it settles`);
  for (const scenario of scenarios) {
    const cpuPerRequestUs = await warmUp(scenario, settings);
    progress(`warm-up: ${scenario.id} ${cpuPerRequestUs.map((us) => us.toFixed(0)).join(', ')} µs of CPU per request`);
  }
  const saturated: Run[] = [];
  for (const [position, [round, scenario]] of sequence.entries()) {
    const measured = await runLoad(scenario, saturation(settings.seconds, settings));
    saturated.push({ round, position, scenario, measured });
    progress(`saturation round ${round + 1}: ${scenario.id} ${measured.throughput.toFixed(0)} req/s`);
  }
  const throughputOf = (scenario: Scenario) =>
    median(runsOf(saturated, scenario).map((run) => run.measured.throughput));
  const fixedRate = Math.round(throughputOf(bare) / 2);

  const rateOf = (scenario: Scenario) =>
    throughputOf(scenario) >= fixedRate * 1.1 ? fixedRate : Math.max(1, Math.round(throughputOf(scenario) / 2));
  const latencies: Run[] = [];
  for (const [position, [round, scenario]] of sequence.entries()) {
    const rate = rateOf(scenario);
    const measured = await runLoad(scenario, {
      mode: 'open',
      seconds: settings.latencySeconds,
      connections: 256,
      rate,
    });
    latencies.push({ round, position, scenario, measured });
    progress(`latency round ${round + 1}: ${scenario.id} at ${rate}/s p99 ${measured.latency.p99.toFixed(2)} ms`);
  }

  return {
    fixedRate,
    scenarios: scenarios.map((scenario) => {
      const saturation = runsOf(saturated, scenario).map((run) => run.measured);
      const latency = runsOf(latencies, scenario).map((run) => run.measured);
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
        paired: pairedWithBare(scenario, bare, saturated, latencies),
      };
    }),
  };
}

/** The scenario's runs against the bare proxy's run nearest in time in their round (its other run, for itself). */
export function pairedWithBare(
  scenario: Scenario,
  bare: Scenario,
  saturated: readonly Run[],
  latencies: readonly Run[],
): PairedFigures {
  const nearestBare = (phase: readonly Run[], run: Run) => {
    const others = phase.filter((other) => other.scenario === bare && other.round === run.round && other !== run);
    const distance = (other: Run) => Math.abs(other.position - run.position);
    // Without a targeted kind the bare proxy runs once a round: then it is its own reference.
    return others.reduce((nearest, other) => (distance(other) < distance(nearest) ? other : nearest), others[0] ?? run)
      .measured;
  };
  // Both phases run the same sequence: a saturation run and the latency run at its position are one slot.
  const runs = runsOf(saturated, scenario).map((run) => {
    const latency = latencies[run.position]!;
    return {
      throughputRatio: run.measured.throughput / nearestBare(saturated, run).throughput,
      p99AboveBareMs: latency.measured.latency.p99 - nearestBare(latencies, latency).latency.p99,
    };
  });
  return {
    throughputRatio: median(runs.map((run) => run.throughputRatio)),
    p99AboveBareMs: median(runs.map((run) => run.p99AboveBareMs)),
    runs,
  };
}

function runsOf(runs: readonly Run[], scenario: Scenario): Run[] {
  return runs.filter((run) => run.scenario === scenario);
}

function saturation(seconds: number, settings: BenchSettings) {
  return { mode: 'closed', seconds, connections: settings.connections } as const;
}

/**
 * [round, scenario] pairs: every scenario once per round, each kind on every store back to back
 * (stores compare at the same moment of the machine), in that order in even rounds and in reverse in
 * odd ones. The machine's speed drifts during a run (BENCHMARKS.md, "How it measures"): measured
 * always in the same order, the scenarios measured late would look cheaper for it. The bare proxy
 * also runs just before every targeted kind (just after, in reverse), so that each has a run of it
 * beside its own.
 */
export function* alternatingRounds(scenarios: readonly Scenario[], rounds: number): Generator<[number, Scenario]> {
  const bare = scenarios.filter((scenario) => scenario.kind === 'bare-proxy');
  const kinds = [...new Set(scenarios.map((scenario) => scenario.kind))];
  const order = kinds.flatMap((kind) => {
    const ofKind = scenarios.filter((scenario) => scenario.kind === kind);
    return ofKind.some((scenario) => scenario.targeted) ? [...bare, ...ofKind] : ofKind;
  });
  for (let round = 0; round < rounds; round += 1) {
    for (const scenario of round % 2 === 0 ? order : order.toReversed()) yield [round, scenario];
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
