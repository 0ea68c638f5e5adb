import type { RoundResult } from './round-result.js';
import { round, spreadOf, type Spread } from './stats.js';

export interface FigureDefinition {
  key: string;
  label: string;
  unit: string;
  /** The target, when the figure has one (with `second`, both values must meet it). */
  target?: { op: '<=' | '>='; value: number } | { op: 'within'; min: number; max: number };
  decimals: number;
  value(result: RoundResult): number;
  /** A second value shown beside the first (e.g. p99 beside p50). */
  second?(result: RoundResult): number;
  /** Why the figure could not be measured in this run. */
  skipped?: string;
}

export interface FigureRow {
  key: string;
  label: string;
  unit: string;
  target: string | null;
  /** Median over the rounds: the figure. */
  value: number;
  min: number;
  max: number;
  rounds: number[];
  second?: Spread;
  /** Whether the median meets the target (null: no target, or skipped). */
  meetsTarget: boolean | null;
  skipped?: string;
}

export function figureRows(definitions: FigureDefinition[], results: RoundResult[]): FigureRow[] {
  return definitions.map((definition) => {
    const spread = definition.skipped ? spreadOf([]) : spreadOf(results.map((result) => definition.value(result)));
    const rounded = (value: number) => round(value, definition.decimals);
    const second = definition.second && !definition.skipped ? spreadOf(results.map((result) => definition.second!(result))) : undefined;
    const target = definition.target;
    const meetsTarget = (value: number) =>
      !target ? false : target.op === 'within' ? value >= target.min && value <= target.max : target.op === '<=' ? value <= target.value : value >= target.value;
    const meets = target && Number.isFinite(spread.median) ? meetsTarget(spread.median) && (!second || meetsTarget(second.median)) : null;
    return {
      key: definition.key,
      label: definition.label,
      unit: definition.unit,
      target: !target ? null : target.op === 'within' ? `${target.min}–${target.max}` : `${target.op} ${target.value}`,
      value: rounded(spread.median),
      min: rounded(spread.min),
      max: rounded(spread.max),
      rounds: spread.rounds.map(rounded),
      ...(second && { second: { min: rounded(second.min), median: rounded(second.median), max: rounded(second.max), rounds: second.rounds.map(rounded) } }),
      meetsTarget: meets,
      ...(definition.skipped && { skipped: definition.skipped }),
    };
  });
}

export function printTable(report: {
  machine: { cores: number; cpu: string; node: string; nginx: string };
  settings: { rounds: number; durationSeconds: number; connections: number; upstream: string; memoryLimit: string };
  figures: FigureRow[];
  references: FigureRow[];
}): void {
  const { machine, settings } = report;
  const show = (value: number) => (Number.isFinite(value) ? String(value) : '–');
  const cells = (row: FigureRow) => {
    if (row.skipped) return ['skipped', '', '', row.skipped];
    const median = row.second ? `${show(row.value)} / ${show(row.second.median)}` : show(row.value);
    const range = row.second ? `${show(row.min)}–${show(row.max)} / ${show(row.second.min)}–${show(row.second.max)}` : `${show(row.min)}–${show(row.max)}`;
    const verdict = row.meetsTarget === null ? '' : row.meetsTarget ? 'meets' : 'MISSES';
    return [`${median} ${row.unit}`, range, row.target ? `${row.target} ${row.unit}` : '', verdict];
  };
  const header = ['figure', 'median', 'min–max', 'target', ''];
  const body = [...report.figures.map((row) => [row.label, ...cells(row)]), ['', '', '', '', ''], ...report.references.map((row) => [row.label, ...cells(row)])];
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...body.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
  const out = [
    '',
    `LGSP gateway benchmark — ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.nginx}`,
    `${settings.rounds} rounds, ${settings.durationSeconds} s per run, saturation at ${settings.connections} connections, upstream: ${settings.upstream}; spread = min–max over rounds`,
    `gateway memory limit: ${settings.memoryLimit}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...body.map(line),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
