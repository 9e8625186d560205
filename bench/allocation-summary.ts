import { functionOf, originOf, type CallFrame } from './code-origin.ts';

/** The parts of a V8 sampling heap profile (`HeapProfiler.stopSampling`'s `profile`) that the summary reads. */
export interface HeapProfileNode {
  readonly callFrame: CallFrame;
  /** Bytes allocated by this frame itself, as V8 estimates them from its samples. */
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

export interface SamplingHeapProfile {
  readonly head: HeapProfileNode;
}

export interface Allocated {
  readonly name: string;
  readonly bytesPerRequest: number;
}

export interface AllocationSummary {
  readonly bytesPerRequest: number;
  readonly byPackage: readonly Allocated[];
  readonly byFunction: readonly Allocated[];
}

/**
 * Bytes allocated per request, by where the code that asked for them comes from and by function.
 * A built-in of V8 (`Map`, `Promise.all`, `JSON.parse`...) allocates on behalf of its caller: its
 * bytes count to the package of the nearest frame that has code, and its function is named with
 * that caller's (`all · (native) ← processGraphQLRequest · @apollo/server (...)`).
 */
export function summariseAllocations(profile: SamplingHeapProfile, requests: number): AllocationSummary {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const visit = (node: HeapProfileNode, caller: CallFrame | undefined) => {
    const builtIn = node.callFrame.url === '';
    const owner = builtIn && caller !== undefined ? caller : node.callFrame;
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(byPackage, originOf(owner), node.selfSize);
      const name =
        owner === node.callFrame ? functionOf(node.callFrame) : `${functionOf(node.callFrame)} ← ${functionOf(owner)}`;
      add(byFunction, name, node.selfSize);
    }
    for (const child of node.children) visit(child, builtIn ? caller : node.callFrame);
  };
  visit(profile.head, undefined);
  const ranked = (totals: Map<string, number>) =>
    [...totals].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytesPerRequest: bytes / requests }));
  return { bytesPerRequest: total / requests, byPackage: ranked(byPackage), byFunction: ranked(byFunction) };
}

function add(totals: Map<string, number>, key: string, bytes: number): void {
  totals.set(key, (totals.get(key) ?? 0) + bytes);
}
