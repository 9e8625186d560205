import { functionOf, originOf, type CallFrame } from './code-origin.ts';
import { RankedTotals, type ByOriginAndFunction } from './ranked-totals.ts';

/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: CallFrame;
  }[];
  /** Microseconds on the monotonic clock (process.hrtime's). */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly share: number;
}

export interface ProfileSummary extends ByOriginAndFunction<SelfTime> {
  /** Sampled time the process was not idle, ms. */
  readonly busyMs: number;
}

/**
 * Self time of the samples between `from` and `to` (monotonic µs), idle left out, by where the
 * code comes from (an npm package, Node's own code, a folder of this repository, WebAssembly,
 * the garbage collector) and by function.
 */
export function summariseProfile(profile: CpuProfile, from: number, to: number): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byPackage = new RankedTotals();
  const byFunction = new RankedTotals();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0;
    const interval = profile.timeDeltas[index + 1] ?? 0;
    const frame = frames.get(nodeId);
    if (time < from || time > to || frame === undefined || frame.functionName === '(idle)') return;
    busy += interval;
    byPackage.add(originOf(frame), interval);
    byFunction.add(functionOf(frame), interval);
  });
  const shares = (totals: RankedTotals) => totals.ranked().map(({ name, amount }) => ({ name, share: amount / busy }));
  return { busyMs: busy / 1000, byPackage: shares(byPackage), byFunction: shares(byFunction) };
}
