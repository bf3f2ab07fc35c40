/**
 * What every benchmark module returns, and the aligned table `npm run bench` prints.
 */

/** One measured target under one workload. */
export interface BenchResult {
  /** Target and workload, e.g. "graphql-tools · directory page". */
  name: string;
  /** Requests completed in the measured window (warm-up excluded). */
  requests: number;
  /** Mean requests per second over the measured window. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Anything that qualifies the numbers: errors, non-2xx, bodies that differed from the expected one. */
  notes?: string;
}

/** Settings a benchmark module gets from the runner (`test/bench/run.ts`). */
export interface BenchContext {
  /** A PostgreSQL URL whose user may CREATE and DROP DATABASE; modules create their own database from it. */
  baseDatabaseUrl: string;
}

export const DEFAULT_BASE_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const COLUMNS: Array<{ title: string; align: 'left' | 'right'; cell: (r: BenchResult) => string }> = [
  { title: 'name', align: 'left', cell: (r) => r.name },
  { title: 'requests', align: 'right', cell: (r) => r.requests.toLocaleString('en-US') },
  { title: 'req/s', align: 'right', cell: (r) => r.rps.toFixed(1) },
  { title: 'p50 ms', align: 'right', cell: (r) => r.p50Ms.toFixed(1) },
  { title: 'p99 ms', align: 'right', cell: (r) => r.p99Ms.toFixed(1) },
  { title: 'notes', align: 'left', cell: (r) => r.notes ?? '' },
];

/** Display width: CJK and full-width characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** The results as an aligned plain-text table (also valid Markdown). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(displayWidth(c.title), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => pad(cell, widths[i] ?? 0, COLUMNS[i]?.align ?? 'left')).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (COLUMNS[i]?.align === 'right' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(COLUMNS.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}

export function printTable(results: readonly BenchResult[], out: NodeJS.WritableStream = process.stdout): void {
  out.write(`${formatTable(results)}\n`);
}
