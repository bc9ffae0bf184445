/**
 * Pure comparison core of the differential replay. `Normaliser` rewrites one server's answers so that what must
 * differ between two servers does not show: UUIDs become labels by where they first appeared (`<u:REQ.I>`: the
 * I-th new UUID in the answer to request number REQ, the same request number on both servers), timestamps keep
 * only their shape, the server's own base URL becomes `<url>`, error_message's JSON string is parsed. `diff` lists
 * every JSON pointer where two normalised answers differ.
 */
export interface Answer {
  status: number;
  body: unknown;
}

export interface Difference {
  /** JSON pointer into the answer: /status, /body/... */
  at: string;
  ironic: unknown;
  anvil: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?$/;
export const ABSENT = '<absent>';

export class Normaliser {
  private readonly labels = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  /** Labels the UUIDs of a request path/body before it is sent (they were seen in earlier answers). */
  label(u: string, req: number, seen: { i: number }): string {
    const k = u.toLowerCase();
    let l = this.labels.get(k);
    if (!l) {
      l = `<u:${req}.${seen.i++}>`;
      this.labels.set(k, l);
    }
    return l;
  }

  text(s: string, req: number, seen: { i: number }): string {
    const t = s.split(this.baseUrl).join('<url>').replace(UUID, (u) => this.label(u, req, seen));
    return TIME.test(t) ? `<time:${t.replace(/\d/g, '9')}>` : t;
  }

  value(v: unknown, req: number, seen = { i: 0 }): unknown {
    if (typeof v === 'string') return this.text(v, req, seen);
    if (Array.isArray(v)) return v.map((x) => this.value(x, req, seen));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (k === 'error_message' && typeof x === 'string') {
          try {
            out[k] = this.value(JSON.parse(x), req, seen);
            continue;
          } catch {
            // not JSON: compared as text
          }
        }
        out[this.text(k, req, seen)] = this.value(x, req, seen);
      }
      return out;
    }
    return v;
  }

  answer(a: Answer, req: number): Answer {
    return { status: a.status, body: this.value(a.body, req) };
  }
}

export function diff(ironic: unknown, anvil: unknown, at = ''): Difference[] {
  if (ironic === anvil) return [];
  const bothObjects = ironic && anvil && typeof ironic === 'object' && typeof anvil === 'object';
  if (bothObjects && Array.isArray(ironic) && Array.isArray(anvil)) {
    if (ironic.length !== anvil.length) return [{ at: `${at}/length`, ironic: ironic.length, anvil: anvil.length }];
    return ironic.flatMap((x, i) => diff(x, anvil[i], `${at}/${i}`));
  }
  if (bothObjects && !Array.isArray(ironic) && !Array.isArray(anvil)) {
    const a = ironic as Record<string, unknown>;
    const b = anvil as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diff(k in a ? a[k] : ABSENT, k in b ? b[k] : ABSENT, `${at}/${k}`));
  }
  return [{ at: at || '/', ironic, anvil }];
}

export function diffAnswers(ironic: Answer, anvil: Answer): Difference[] {
  if (ironic.status !== anvil.status) return [{ at: '/status', ironic: ironic.status, anvil: anvil.status }, ...diff(ironic.body, anvil.body, '/body')];
  return diff(ironic.body, anvil.body, '/body');
}
