import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
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

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

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
    const origin = originOf(frame.url, frame.functionName);
    add(byPackage, origin, interval);
    add(byFunction, `${frame.functionName || '(anonymous)'} · ${origin}${lineOf(frame)}`, interval);
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, share: micros / busy }));
  return { busyMs: busy / 1000, byPackage: ranked(byPackage), byFunction: ranked(byFunction) };
}

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

function originOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  // PGlite's PostgreSQL, and undici's HTTP parser (llhttp) in every process: not told apart by URL.
  if (url.startsWith('wasm://')) return 'WebAssembly';
  if (url.startsWith('node:')) return 'node (core)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (packageMatch?.[1] !== undefined) return packageMatch[1];
  const inRepository = relative(REPOSITORY, path);
  return inRepository.startsWith('..') ? path : inRepository.split('/').slice(0, 2).join('/');
}

function lineOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  if (frame.url === '' || frame.url.startsWith('wasm://')) return '';
  return ` (${frame.url.split('/').at(-1)}:${frame.lineNumber + 1})`;
}
