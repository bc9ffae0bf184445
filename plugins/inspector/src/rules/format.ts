/**
 * Value interpolation of inspection rules (pure): Python's str.format over {node, inventory, plugin_data, item},
 * e.g. "{inventory[cpu][count]}" or "{node.driver_info[ipmi_address]}". A field that cannot be resolved leaves the
 * value unchanged (Ironic's safe_format). Values print as Python's str() would (True, None, {'a': 1}).
 */
export type FormatContext = Record<string, unknown>;

/** Python's str() of a JSON value; keys in `masked` print as '***' (Ironic's ShallowMaskDict). */
export function pyStr(v: unknown, masked: readonly string[] = []): string {
  if (typeof v === 'string') return v;
  return pyRepr(v, masked);
}

/** Python's repr() of a JSON value. */
export function pyRepr(v: unknown, masked: readonly string[] = []): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) && Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, masked)).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(masked.includes(k) ? '***' : x, masked)}`).join(', ')}}`;
  return String(v);
}

class FormatFailure extends Error {}

function lookup(ctx: FormatContext, field: string, masked: readonly string[]): unknown {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(field);
  if (!m) throw new FormatFailure(field);
  if (!(m[1] in ctx)) throw new FormatFailure(m[1]);
  let cur: unknown = ctx[m[1]];
  let rest = m[2];
  while (rest) {
    const attr = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    const item = /^\[([^\]]+)\]/.exec(rest);
    const key = attr ? attr[1] : item ? item[1] : null;
    if (key === null) throw new FormatFailure(rest);
    rest = rest.slice((attr ?? item)![0].length);
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur && typeof cur === 'object' && key in (cur as object)) cur = masked.includes(key) ? '***' : (cur as Record<string, unknown>)[key];
    else throw new FormatFailure(key);
    if (cur === undefined) throw new FormatFailure(key);
  }
  return cur;
}

/** str.format(**ctx) on one string; throws FormatFailure when a field is missing or the template is malformed. */
function format(template: string, ctx: FormatContext, masked: readonly string[]): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new FormatFailure("Single '{' encountered in format string");
      const field = template.slice(i + 1, end).split('!')[0].split(':')[0];
      out += pyStr(lookup(ctx, field, masked), masked);
      i = end;
    } else if (c === '}') throw new FormatFailure("Single '}' encountered in format string");
    else out += c;
  }
  return out;
}

export function safeFormat(v: unknown, ctx: FormatContext, masked: readonly string[] = []): unknown {
  if (typeof v !== 'string') return v;
  try {
    return format(v, ctx, masked);
  } catch {
    return v;
  }
}

/**
 * Ironic's interpolate_variables: strings formatted, dicts (keys too) and lists recursively. Values under keys in
 * `masked` read as '***' (masking applies to what the rule reads, never to the data itself).
 */
export function interpolate(v: unknown, ctx: FormatContext, masked: readonly string[] = []): unknown {
  if (typeof v === 'string') return safeFormat(v, ctx, masked);
  if (Array.isArray(v)) return v.map((x) => interpolate(x, ctx, masked));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [String(safeFormat(k, ctx, masked)), interpolate(x, ctx, masked)]));
  }
  return v;
}
