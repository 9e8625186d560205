import type { ScenarioFigures, SideBySide } from './side-by-side.ts';

/** The targets for reads of a stored intent and replayed creates, against the bare proxy. */
export const TARGETS = { minThroughputRatio: 0.5, aimThroughputRatio: 0.75, maxP99AboveBareMs: 5 } as const;

export type Verdict = 'pass' | 'fail' | null;

/** A scenario's figures with the targets' verdicts, judged on its figures paired with the bare proxy's. */
export interface Judged extends ScenarioFigures {
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
      throughputVerdict: verdict(ratio >= TARGETS.minThroughputRatio),
      aimMet: figures.targeted ? ratio >= TARGETS.aimThroughputRatio : null,
      // A scenario that cannot hold the fixed rate has no bounded p99 at it.
      p99Verdict: verdict(figures.atFixedRate && p99AboveBareMs <= TARGETS.maxP99AboveBareMs),
    };
  });
}
