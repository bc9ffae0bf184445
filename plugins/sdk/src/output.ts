/**
 * The one output formatter of every `anvil` command that prints data, with openstackclient's (cliff's) options and
 * behaviour: `-f table|json|yaml|value`, `-c COLUMN` (repeatable; columns keep the command's order, unknown names
 * are ignored, and none recognised is an error naming the recognised ones), `--noindent` (json), `--max-width N`
 * (table; `CLIFF_MAX_TERM_WIDTH` as cliff reads it), `--print-empty` (table). Pure: strings in, a string out.
 *
 * - table: prettytable's layout (`+---+` rules, header, left-aligned text, right-aligned numbers); one object is a
 *   Field | Value table; an empty list prints nothing (unless --print-empty), as cliff.
 * - json: a list of objects (one per row, keys = column names), or one object; indent 2, or Python's
 *   `json.dumps` spacing with --noindent.
 * - yaml: the same values as PyYAML's safe_dump writes them (block style, keys sorted).
 * - value: a list is one line per row with its values separated by a space; one object is one value per line.
 *   Values print as Python's str(): None, True/False, dicts and lists in repr.
 */
import { stringify as yamlStringify } from 'yaml';
import { AnvilError } from './errors.ts';
import { pyRepr } from './pyrepr.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'value'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  format: OutputFormat;
  /** -c: the columns to show (empty: all) */
  columns: string[];
  noindent: boolean;
  /** table width limit; 0: none */
  maxWidth: number;
  printEmpty: boolean;
}

/** the usage lines every data-printing command appends to its help */
export const OUTPUT_USAGE = `output: -f, --format table|json|yaml|value   -c, --column COLUMN (repeatable)
        --noindent (json)   --max-width N (table; CLIFF_MAX_TERM_WIDTH)   --print-empty (table)`;

function badValue(message: string): AnvilError {
  return new AnvilError(message, 'InvalidParameterValue', 400);
}

/**
 * Take the output options out of argv (`-f x`, `--format x`, `--format=x`, `-fx`, `-c x`, `--column x`,
 * `--column=x`, `--noindent`, `--max-width N`, `--print-empty`) and return them with the remaining arguments.
 */
export function splitOutputArgs(argv: string[], env: Record<string, string | undefined> = {}, defaultFormat: OutputFormat = 'table'): { output: OutputOptions; rest: string[] } {
  let format: string = defaultFormat;
  const columns: string[] = [];
  let noindent = false;
  let printEmpty = false;
  let maxWidth = env.CLIFF_MAX_TERM_WIDTH ? Number(env.CLIFF_MAX_TERM_WIDTH) : 0;
  const rest: string[] = [];
  const argAt = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) throw badValue(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (flag === '-f' || flag === '--format') format = inline ?? argAt(++i, flag);
    else if (/^-f[a-z]+$/.test(a)) format = a.slice(2);
    else if (flag === '-c' || flag === '--column') columns.push(inline ?? argAt(++i, flag));
    else if (flag === '--noindent') noindent = true;
    else if (flag === '--print-empty') printEmpty = true;
    else if (flag === '--max-width') maxWidth = Number(inline ?? argAt(++i, flag));
    else rest.push(a);
  }
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw badValue(`argument -f/--format: invalid choice: '${format}' (choose from ${OUTPUT_FORMATS.map((f) => `'${f}'`).join(', ')})`);
  if (!Number.isInteger(maxWidth)) throw badValue(`argument --max-width: invalid int value: '${maxWidth}'`);
  return { output: { format: format as OutputFormat, columns, noindent, maxWidth, printEmpty }, rest };
}

/** cliff's column selection: the indexes of the command's columns named by -c, in the command's order. */
export function selectColumns(names: string[], wanted: string[]): number[] {
  if (!wanted.length) return names.map((_, i) => i);
  const idx = names.map((n, i) => (wanted.includes(n) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) throw badValue(`No recognized column names in ${pyRepr(wanted)}. Recognized columns are ${pyRepr(names)}.`);
  return idx;
}

/** Python's str() of a JSON value */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Python's json.dumps: indent 2, or the one-line form with ', ' and ': ' separators */
function pyJson(v: unknown, noindent: boolean): string {
  if (!noindent) return JSON.stringify(v, null, 2);
  const one = (x: unknown): string => {
    if (x === undefined) return 'null';
    if (Array.isArray(x)) return `[${x.map(one).join(', ')}]`;
    if (x !== null && typeof x === 'object') return `{${Object.entries(x).map(([k, y]) => `${JSON.stringify(k)}: ${one(y)}`).join(', ')}}`;
    return JSON.stringify(x);
  };
  return one(v);
}

function zip(names: string[], values: unknown[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? null]));
}

/** a cell's text split to at most `width` characters a line, at spaces where it can */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      const at = cut > 0 ? cut : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(cut > 0 ? at + 1 : at);
    }
    out.push(rest);
  }
  return out;
}

/** cliff's width sharing: columns narrower than an equal share keep their width, the others split the rest. */
function fitWidths(widths: number[], maxWidth: number): number[] {
  const borders = 3 * widths.length + 1;
  if (maxWidth <= 0 || widths.reduce((a, b) => a + b, 0) + borders <= maxWidth) return widths;
  const out = [...widths];
  let open = widths.map((_, i) => i);
  let budget = maxWidth - borders;
  for (;;) {
    const share = Math.floor(budget / open.length);
    const fits = open.filter((i) => widths[i] <= share);
    if (!fits.length) {
      for (const i of open) out[i] = Math.max(1, share);
      return out;
    }
    for (const i of fits) budget -= widths[i];
    open = open.filter((i) => widths[i] > share);
    if (!open.length) return out;
  }
}

function table(headers: string[], rows: unknown[][], maxWidth: number, align: ('l' | 'r')[]): string {
  const cells = rows.map((r) => r.map(pyStr));
  const natural = headers.map((h, i) => Math.max(h.length, ...cells.flatMap((r) => r[i].split('\n').map((l) => l.length))));
  const w = fitWidths(natural, maxWidth);
  const rule = `+${w.map((n) => '-'.repeat(n + 2)).join('+')}+`;
  const line = (r: string[], al: ('l' | 'r')[]) => {
    const parts = r.map((c, i) => wrap(c, w[i]));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, k) => `| ${parts.map((p, i) => (al[i] === 'r' ? (p[k] ?? '').padStart(w[i]) : (p[k] ?? '').padEnd(w[i]))).join(' | ')} |`).join('\n');
  };
  return [rule, line(headers, headers.map(() => 'l')), rule, ...cells.map((r) => line(r, align)), rule].join('\n');
}

/** A list (rows of values in `names` order) in the chosen format; '' when nothing is to be printed. */
export function formatList(names: string[], rows: unknown[][], o: OutputOptions): string {
  const idx = selectColumns(names, o.columns);
  const cols = idx.map((i) => names[i]);
  const data = rows.map((r) => idx.map((i) => r[i]));
  switch (o.format) {
    case 'json':
      return pyJson(data.map((r) => zip(cols, r)), o.noindent);
    case 'yaml':
      return data.length ? yamlStringify(data.map((r) => zip(cols, r)), { sortMapEntries: true }).trimEnd() : '[]';
    case 'value':
      return data.map((r) => r.map(pyStr).join(' ')).join('\n');
    default: {
      if (!data.length && !o.printEmpty) return '';
      const align = cols.map((_, i) => (typeof data[0]?.[i] === 'number' ? 'r' : 'l') as 'l' | 'r');
      return table(cols, data, o.maxWidth, align);
    }
  }
}

/** One object (its fields in `names` order) in the chosen format; `customTable` replaces the Field | Value table. */
export function formatOne(names: string[], values: unknown[], o: OutputOptions, customTable?: () => string): string {
  const idx = selectColumns(names, o.columns);
  const cols = idx.map((i) => names[i]);
  const vals = idx.map((i) => values[i]);
  switch (o.format) {
    case 'json':
      return pyJson(zip(cols, vals), o.noindent);
    case 'yaml':
      return yamlStringify(zip(cols, vals), { sortMapEntries: true }).trimEnd();
    case 'value':
      return vals.map(pyStr).join('\n');
    default:
      return customTable && !o.columns.length ? customTable() : table(['Field', 'Value'], cols.map((c, i) => [c, vals[i]]), o.maxWidth, ['l', 'l']);
  }
}

/** formatOne over an object's own keys */
export function formatObject(obj: Record<string, unknown>, o: OutputOptions, customTable?: () => string): string {
  return formatOne(Object.keys(obj), Object.values(obj), o, customTable);
}

/** A list of objects with `columns` as [header, key] pairs (the header is what -c names). */
export function formatRecords(columns: readonly (readonly [string, string])[], records: Record<string, unknown>[], o: OutputOptions): string {
  return formatList(
    columns.map(([h]) => h),
    records.map((r) => columns.map(([, k]) => r[k])),
    o,
  );
}
