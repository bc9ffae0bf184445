/** Plain-text tables for the CLI (pure). */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c))));
  const w = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = `+${w.map((n) => '-'.repeat(n + 2)).join('+')}+`;
  const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line, fmt(headers), line, ...cells.map(fmt), line].join('\n');
}

/** a two-column Field | Value table for one object */
export function fieldTable(o: Record<string, unknown>): string {
  return table(
    ['Field', 'Value'],
    Object.entries(o).map(([k, v]) => [k, v]),
  );
}
