import { functionOf, originOf, type CallFrame } from './code-origin.ts';

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

export interface ProfileSummary {
  /** Sampled time the process was not idle, ms. */
  readonly busyMs: number;
  readonly byPackage: readonly SelfTime[];
  readonly byFunction: readonly SelfTime[];
}

/**
 * Self time of the samples between `from` and `to` (monotonic µs), idle left out, by where the
 * code comes from (an npm package, Node's own code, a folder of this repository, WebAssembly,
 * the garbage collector) and by function.
 */
export function summariseProfile(profile: CpuProfile, from: number, to: number): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0;
    const interval = profile.timeDeltas[index + 1] ?? 0;
    const frame = frames.get(nodeId);
    if (time < from || time > to || frame === undefined || frame.functionName === '(idle)') return;
    busy += interval;
    add(byPackage, originOf(frame), interval);
    add(byFunction, functionOf(frame), interval);
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, share: micros / busy }));
  return { busyMs: busy / 1000, byPackage: ranked(byPackage), byFunction: ranked(byFunction) };
}

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}
