import { functionOf, originOf, type CallFrame } from './code-origin.ts';
import { RankedTotals, type ByOriginAndFunction } from './ranked-totals.ts';

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

export interface AllocationSummary extends ByOriginAndFunction<Allocated> {
  readonly bytesPerRequest: number;
}

/**
 * Bytes allocated per request, by where the code that asked for them comes from and by function.
 * A built-in of V8 (`Map`, `Promise.all`, `JSON.parse`...) allocates on behalf of its caller: its
 * bytes count to the package of the nearest frame that has code, and its function is named with
 * that caller's (`all · (native) ← processGraphQLRequest · @apollo/server (...)`).
 */
export function summariseAllocations(profile: SamplingHeapProfile, requests: number): AllocationSummary {
  const byPackage = new RankedTotals();
  const byFunction = new RankedTotals();
  let total = 0;
  const visit = (node: HeapProfileNode, caller: CallFrame | undefined) => {
    const builtIn = node.callFrame.url === '';
    const owner = builtIn && caller !== undefined ? caller : node.callFrame;
    if (node.selfSize > 0) {
      total += node.selfSize;
      byPackage.add(originOf(owner), node.selfSize);
      const name =
        owner === node.callFrame ? functionOf(node.callFrame) : `${functionOf(node.callFrame)} ← ${functionOf(owner)}`;
      byFunction.add(name, node.selfSize);
    }
    for (const child of node.children) visit(child, builtIn ? caller : node.callFrame);
  };
  visit(profile.head, undefined);
  const perRequest = (totals: RankedTotals) =>
    totals.ranked().map(({ name, amount }) => ({ name, bytesPerRequest: amount / requests }));
  return { bytesPerRequest: total / requests, byPackage: perRequest(byPackage), byFunction: perRequest(byFunction) };
}
