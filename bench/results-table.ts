import type { BenchSettings } from './settings.ts';
import type { Judged, Verdict } from './targets.ts';
import { TARGETS } from './targets.ts';

const HEADER = [
  'scenario',
  'req/s',
  `× bare (≥${TARGETS.minThroughputRatio}, aim ${TARGETS.aimThroughputRatio})`,
  'rate/s',
  'p50 ms',
  'p99 ms',
  'p99.9 ms',
  `p99 − bare (≤${TARGETS.maxP99AboveBareMs} ms)`,
  'CPU µs/req',
  'peak RSS MB',
  'start s',
  'failed',
];

/** The side-by-side figures as a Markdown table, the targets marked where the issue sets them. */
export function resultsTable(judged: readonly Judged[]): string {
  const rows = judged.map(({ paired, ...figures }) => [
    `${figures.store} · ${figures.label}`,
    figures.throughput.toFixed(0),
    `${paired.throughputRatio.toFixed(2)}${mark(figures.throughputVerdict)}${figures.aimMet === true ? ' (aim met)' : ''}`,
    `${figures.rate}${figures.atFixedRate ? '' : ' (½ own)'}`,
    figures.latency.p50.toFixed(2),
    figures.latency.p99.toFixed(2),
    figures.latency.p999.toFixed(2),
    `${signed(paired.p99AboveBareMs)}${mark(figures.p99Verdict)}`,
    figures.cpuPerRequestUs.toFixed(0),
    figures.peakRssMb.toFixed(0),
    (figures.startupMs / 1000).toFixed(1),
    String(figures.failed),
  ]);
  return markdownTable(HEADER, rows);
}

/** How the figures below it were measured, for the line above a table. */
export function runDescription(settings: BenchSettings, fixedRate: number): string {
  return (
    `${settings.connections} connections at saturation; latency at ${fixedRate}/s (half the bare proxy's saturation); ` +
    `× bare and p99 − bare against the bare proxy's run nearest in time; ${settings.rounds} rounds of ` +
    `${settings.seconds} s at saturation and ${settings.latencySeconds} s at the rate, medians; ${process.version}`
  );
}

/**
 * The bare proxy against its own nearest other run, run by run: what the paired measure reads
 * when nothing differs, to weigh the targets' margins against.
 */
export function measureNoise(judged: readonly Judged[]): string {
  const { runs } = judged.find((figures) => figures.id === 'limit/bare-proxy')!.paired;
  return (
    `The measure's own noise, the bare proxy against its nearest other run, run by run: throughput × ` +
    `${runs.map((run) => run.throughputRatio.toFixed(2)).join(', ')}; p99 ` +
    `${runs.map((run) => signed(run.p99AboveBareMs)).join(', ')} ms`
  );
}

/** A difference with its sign, to two decimals. */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function mark(verdict: Verdict): string {
  if (verdict === null) return '';
  return verdict === 'pass' ? ' pass' : ' FAIL';
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
