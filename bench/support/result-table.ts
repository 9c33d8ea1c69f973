/** Renders benchmark rows as one Markdown table: readable in a terminal, pasteable into a report. */
import type { BenchResult } from './bench-module.ts';
import { significant } from './stats.ts';

export interface ModuleRow extends BenchResult {
  module: string;
}

function targetCell(row: BenchResult): string {
  const parts: string[] = [];
  const { max, min } = row.target ?? {};
  if (max !== undefined) parts.push(`≤ ${max} ${row.value <= max ? 'met' : 'MISSED'}`);
  if (min !== undefined) parts.push(`≥ ${min} ${row.value >= min ? 'met' : 'MISSED'}`);
  if (row.ok === false) parts.push('FAIL');
  if (row.ok === true && parts.length === 0) parts.push('ok');
  return parts.join(', ');
}

function ratioCell(ratio: number | undefined): string {
  return ratio === undefined ? '' : `×${significant(ratio)}`;
}

function cells(row: ModuleRow): string[] {
  return [
    row.module,
    row.name,
    `${significant(row.value)} ${row.unit}`.trim(),
    row.baseline ? `${significant(row.baseline.value)} ${row.unit} (${row.baseline.name})` : '',
    ratioCell(row.ratio),
    targetCell(row),
    row.detail ?? '',
  ];
}

const HEADER = ['benchmark', 'measurement', 'value', 'baseline (same run)', 'ratio', 'target / check', 'detail'];

export function formatTable(rows: readonly ModuleRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...body.map((line) => line[column]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const separator = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(HEADER), separator, ...body.map(line)].join('\n');
}
