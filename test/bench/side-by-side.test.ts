import { describe, expect, it } from 'vitest';
import type { MeasuredLoad } from '../../bench/load-run.ts';
import type { Scenario, ScenarioKind } from '../../bench/scenarios.ts';
import { alternatingRounds, pairedWithBare, type Run } from '../../bench/side-by-side.ts';

function scenario(id: string, kind: ScenarioKind, targeted: boolean): Scenario {
  return { id, kind, targeted, label: id, store: 'limit' } as Scenario;
}

const bare = scenario('limit/bare-proxy', 'bare-proxy', false);
const apollo = scenario('limit/apollo-alone', 'apollo-alone', false);
const freshPglite = scenario('pglite/read-fresh', 'read-fresh', true);
const freshPostgres = scenario('postgres/read-fresh', 'read-fresh', true);
const newPglite = scenario('pglite/create-new', 'create-new', false);
const stalePglite = scenario('pglite/read-stale', 'read-stale', true);
const scenarios = [bare, apollo, freshPglite, newPglite, freshPostgres, stalePglite];

function measured(throughput: number, p99: number): MeasuredLoad {
  return { throughput, latency: { p50: 1, p99, p999: p99, max: p99 } } as MeasuredLoad;
}

describe('the order of the runs', () => {
  it('runs the bare proxy beside every targeted kind, each kind on every store back to back, reversed every other round', () => {
    const ids = (round: number) =>
      [...alternatingRounds(scenarios, 2)].filter(([of]) => of === round).map(([, each]) => each.id);

    expect(ids(0)).toEqual([
      'limit/bare-proxy',
      'limit/apollo-alone',
      'limit/bare-proxy',
      'pglite/read-fresh',
      'postgres/read-fresh',
      'pglite/create-new',
      'limit/bare-proxy',
      'pglite/read-stale',
    ]);
    expect(ids(1)).toEqual(ids(0).toReversed());
  });
});

describe('figures paired with the bare proxy', () => {
  // One round: bare(0) apollo(1) bare(2) fresh-pglite(3) fresh-postgres(4) bare(5); then a second round.
  const sequence: [number, Scenario][] = [
    [0, bare],
    [0, apollo],
    [0, bare],
    [0, freshPglite],
    [0, freshPostgres],
    [0, bare],
    [1, freshPglite],
    [1, bare],
  ];
  const figures = new Map<number, [number, number]>([
    [0, [1000, 20]],
    [1, [1500, 10]],
    [2, [2000, 30]],
    [3, [1000, 40]],
    [4, [1200, 25]],
    [5, [4000, 50]],
    [6, [900, 33]],
    [7, [1800, 31]],
  ]);
  const phase = (pick: (throughput: number, p99: number) => MeasuredLoad): Run[] =>
    sequence.map(([round, each], position) => {
      const [throughput, p99] = figures.get(position)!;
      return { round, position, scenario: each, measured: pick(throughput, p99) };
    });
  const saturated = phase((throughput) => measured(throughput, 0));
  const latencies = phase((_throughput, p99) => measured(0, p99));

  it('judges each run against the bare proxy run nearest to it in its own round', () => {
    const paired = pairedWithBare(freshPglite, bare, saturated, latencies);

    // Round 0: the bare run at position 2 (one away, not 5, two away); round 1: position 7.
    expect(paired.runs).toEqual([
      { throughputRatio: 1000 / 2000, p99AboveBareMs: 40 - 30 },
      { throughputRatio: 900 / 1800, p99AboveBareMs: 33 - 31 },
    ]);
    expect(paired.throughputRatio).toBe(0.5);
    expect(paired.p99AboveBareMs).toBe(6);
  });

  it("measures the bare proxy against its nearest other run, the measure's own noise", () => {
    const paired = pairedWithBare(bare, bare, saturated, latencies);

    // Position 0 against 2, 2 against 0 (two away; 5 is three), 5 against 2; 7 alone in its round.
    expect(paired.runs).toEqual([
      { throughputRatio: 1000 / 2000, p99AboveBareMs: 20 - 30 },
      { throughputRatio: 2000 / 1000, p99AboveBareMs: 30 - 20 },
      { throughputRatio: 4000 / 2000, p99AboveBareMs: 50 - 30 },
      { throughputRatio: 1, p99AboveBareMs: 0 },
    ]);
  });
});
