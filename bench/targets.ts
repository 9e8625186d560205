import type { ScenarioFigures, SideBySide } from './side-by-side.ts';

/** The targets for reads of a stored intent and replayed creates, against the bare proxy. */
export const TARGETS = { minThroughputRatio: 0.5, aimThroughputRatio: 0.75, maxP99AboveBareMs: 5 } as const;

export type Verdict = 'pass' | 'fail' | null;

export interface Judged extends ScenarioFigures {
  /** Throughput over the bare proxy's, run beside it (ScenarioFigures.paired). */
  readonly ratio: number;
  /** p99 minus the bare proxy's p99, both at the fixed rate, run beside each other. */
  readonly p99AboveBareMs: number;
  /** null where the scenario has no target. */
  readonly throughputVerdict: Verdict;
  readonly aimMet: boolean | null;
  readonly p99Verdict: Verdict;
}

export function judge({ scenarios }: SideBySide): Judged[] {
  return scenarios.map((figures) => {
    const { throughputRatio: ratio, p99AboveBareMs } = figures.paired;
    const verdict = (met: boolean): Verdict => (figures.targeted ? (met ? 'pass' : 'fail') : null);
    return {
      ...figures,
      ratio,
      p99AboveBareMs,
      throughputVerdict: verdict(ratio >= TARGETS.minThroughputRatio),
      aimMet: figures.targeted ? ratio >= TARGETS.aimThroughputRatio : null,
      // A scenario that cannot hold the fixed rate has no bounded p99 at it.
      p99Verdict: verdict(figures.atFixedRate && p99AboveBareMs <= TARGETS.maxP99AboveBareMs),
    };
  });
}
