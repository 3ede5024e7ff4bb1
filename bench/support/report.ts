import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Row {
  database: string;
  scenario: string;
  unit: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  vsHello: string;
  failed: number;
}

/** `versus` names the baseline the `vsHello` column compares with. */
export function printTable(title: string, rows: Row[], versus = 'vs hello-world'): void {
  const header = ['database', 'scenario', 'rate', 'p50 ms', 'p99 ms', versus, 'failed'];
  const lines = rows.map((row) => [
    row.database,
    row.scenario,
    `${row.perSecond.toFixed(0)} ${row.unit}/s`,
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    row.vsHello,
    String(row.failed),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(format).join('\n')}\n\n`);
}

export function machine() {
  return { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), date: new Date().toISOString() };
}

export async function writeResults(name: string, data: unknown): Promise<string> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const path = `${dir}${name}.json`;
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

export function ratio(perSecond: number, hello: number): string {
  return hello > 0 ? `${((perSecond / hello) * 100).toFixed(1)} %` : 'n/a';
}

/** A table of any columns: the first `leftAligned` are text, the rest numbers (right-aligned). */
export function printColumns(title: string, header: string[], lines: string[][], leftAligned = 2): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i >= leftAligned ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(format).join('\n')}\n\n`);
}
