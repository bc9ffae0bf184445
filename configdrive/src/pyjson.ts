/**
 * JSON text exactly as Python's `json.dumps(obj)` writes it with default settings (what Nova and
 * openstacksdk use for config drive files): ", " and ": " separators, ASCII only (\uXXXX escapes).
 */
import { InvalidConfigDrive } from './errors.ts';

function str(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

function num(n: number): string {
  if (!Number.isFinite(n)) throw new InvalidConfigDrive('JSON numbers must be finite');
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python's float repr: exponent written with sign and at least two digits (1e+16 -> 1e+16, 1e-7 -> 1e-07).
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function pyJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${str(k)}: ${pyJsonDumps(x)}`);
    return `{${parts.join(', ')}}`;
  }
  throw new InvalidConfigDrive(`value of type ${typeof v} cannot be written as JSON`);
}

/**
 * Parses JSON text, turning syntax errors into a clear InvalidConfigDrive naming `what`. The message
 * leaves out the snippet of input V8 quotes (metadata may carry secrets such as admin_pass).
 */
export function parseJson(text: string | Uint8Array, what: string): unknown {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  try {
    return JSON.parse(s);
  } catch (e) {
    const msg = (e as Error).message.replace(/,? *".*" is not valid JSON$/s, '').replace(/^Unexpected token '?(.)'?/s, 'unexpected character');
    throw new InvalidConfigDrive(`${what} is not valid JSON: ${msg}`);
  }
}
