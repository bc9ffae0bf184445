/**
 * `anvil why NODE|MAC [-f text|json] [--endpoint URL]`: why a node is where it is — its state and for how long,
 * what it waits for and until when, who holds its lock since when (and whether that conductor is alive), the last
 * failure with its diagnosis and hint, the boot trace, and why a scheduler would not pick it (nova-bridge's
 * reasons). Given a MAC, the boot trace of that MAC (a machine no port knows). Reads `GET /v1/anvil/...`.
 */
import type { WhyReport } from '@anvil/sdk';
import { formatWhy } from '@anvil/conductor/why';
import { unusableReasons } from '@anvil/nova-bridge';
import { authHeaders } from '../endpoint.ts';

export const USAGE = `usage: anvil why NODE|MAC [-f text|json] [--endpoint URL]

Explains a node: state and time in it, what it waits for and until when, lock holder, last failure with its
diagnosis and hint, boot trace, scheduling reasons. With a MAC: the boot trace of that MAC.
  -f, --format text|json   output format (default text)
  --endpoint URL           Anvil API (OS_ENDPOINT, default http://127.0.0.1:6385)`;

const MAC_RE = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

async function get(endpoint: string, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${endpoint}${path}`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest', Accept: 'application/json', ...authHeaders() } });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: r.status, body };
}

/** Ironic's error body → its message. */
function errorText(body: any): string {
  try {
    const inner = JSON.parse(body.error_message);
    return inner.faultstring ?? inner.description ?? body.error_message;
  } catch {
    return typeof body === 'string' ? body : JSON.stringify(body);
  }
}

export async function run(argv: string[]): Promise<number> {
  const r = await why(argv);
  if (r.out) console.log(r.out);
  if (r.err) console.error(r.err);
  return r.code;
}

/** The command without printing: exit code, stdout text, stderr text (tests call this in-process). */
export async function why(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let format = 'text';
  let endpoint = process.env.OS_ENDPOINT ?? process.env.ANVIL_ENDPOINT ?? 'http://127.0.0.1:6385';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { code: 0, out: USAGE, err: '' };
    if (a === '-f' || a === '--format') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--endpoint') endpoint = argv[++i] ?? '';
    else if (a.startsWith('--endpoint=')) endpoint = a.slice(11);
    else rest.push(a);
  }
  if (rest.length !== 1 || !['text', 'json'].includes(format) || !endpoint) return { code: 2, out: '', err: USAGE };
  endpoint = endpoint.replace(/\/+$/, '');
  const ident = rest[0];
  if (MAC_RE.test(ident)) {
    const mac = ident.replace(/-/g, ':').toLowerCase();
    const r = await get(endpoint, `/v1/anvil/boot-trace/${mac}`);
    if (r.status !== 200) return fail(r);
    if (format === 'json') return { code: 0, out: JSON.stringify(r.body, null, 2), err: '' };
    const lines = [`MAC ${mac}: ${r.body.lines.length} boot trace events`, ...r.body.lines.map((l: string) => `  ${l}`)];
    const d = r.body.diagnosis;
    if (d) lines.push(`  diagnosis: ${d.code}${d.step ? ` at ${d.step}` : ''}`, `    cause: ${d.cause}`, `    hint: ${d.hint}`, `    retry can help: ${d.retryable ? 'yes' : 'no'}`);
    return { code: 0, out: lines.join('\n'), err: '' };
  }
  const [why, node] = await Promise.all([get(endpoint, `/v1/anvil/nodes/${encodeURIComponent(ident)}/why`), get(endpoint, `/v1/nodes/${encodeURIComponent(ident)}`)]);
  if (why.status !== 200) return fail(why);
  const report = why.body as WhyReport;
  if (node.status === 200) report.scheduling = unusableReasons(node.body);
  return { code: 0, out: format === 'json' ? JSON.stringify(report, null, 2) : formatWhy(report), err: '' };
}

function fail(r: { status: number; body: unknown }) {
  return { code: 1, out: '', err: `anvil why: HTTP ${r.status}: ${errorText(r.body)}` };
}
