/**
 * `anvil why NODE|MAC [-f text|json] [--endpoint URL]`: why a node is where it is — its state and for how long,
 * what it waits for and until when, who holds its lock since when (and whether that conductor is alive), the last
 * failure with its diagnosis and hint, the boot trace, and why a scheduler would not pick it (nova-bridge's
 * reasons). Given a MAC, the boot trace of that MAC (a machine no port knows). Reads `GET /v1/anvil/...`.
 */
import type { WhyReport } from '@anvil/sdk';
import { formatWhy } from '@anvil/conductor/why';
import { unusableReasons } from '@anvil/nova-bridge';
import { AnvilError } from '@anvil/sdk';
import { OUTPUT_USAGE, type OutputOptions, formatObject, splitOutputArgs } from '@anvil/sdk/output';
import { authHeaders } from '../endpoint.ts';

export const USAGE = `usage: anvil why NODE|MAC [--endpoint URL] [output options]

Explains a node: state and time in it, what it waits for and until when, lock holder, last failure with its
diagnosis and hint, boot trace, scheduling reasons. With a MAC: the boot trace of that MAC.
The default (table, also -f text) is the explanation in prose; -f json|yaml|value and -c name the report's fields.
  --endpoint URL           Anvil API (OS_ENDPOINT, default http://127.0.0.1:6385)
${OUTPUT_USAGE}`;

const MAC_RE = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

async function get(endpoint: string, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${endpoint}${path}`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest', Accept: 'application/json', ...(await authHeaders()) } });
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
  let endpoint = process.env.OS_ENDPOINT ?? process.env.ANVIL_ENDPOINT ?? 'http://127.0.0.1:6385';
  const rest: string[] = [];
  // `-f text` (the prose) is this command's name for the table format
  const textAsTable = argv.map((a, i) => (a === 'text' && ['-f', '--format'].includes(argv[i - 1]) ? 'table' : a === '--format=text' ? '--format=table' : a));
  let output: OutputOptions;
  let args: string[];
  try {
    ({ output, rest: args } = splitOutputArgs(textAsTable, process.env));
  } catch (err) {
    if (!AnvilError.is(err)) throw err;
    return { code: 2, out: '', err: `anvil why: ${err.message}\n${USAGE}` };
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return { code: 0, out: USAGE, err: '' };
    if (a === '--endpoint') endpoint = args[++i] ?? '';
    else if (a.startsWith('--endpoint=')) endpoint = a.slice(11);
    else rest.push(a);
  }
  if (rest.length !== 1 || !endpoint) return { code: 2, out: '', err: USAGE };
  const show = (report: object, prose: () => string) => ({ code: 0, out: formatObject(report as Record<string, unknown>, output, prose), err: '' });
  endpoint = endpoint.replace(/\/+$/, '');
  const ident = rest[0];
  if (MAC_RE.test(ident)) {
    const mac = ident.replace(/-/g, ':').toLowerCase();
    const r = await get(endpoint, `/v1/anvil/boot-trace/${mac}`);
    if (r.status !== 200) return fail(r);
    const lines = [`MAC ${mac}: ${r.body.lines.length} boot trace events`, ...r.body.lines.map((l: string) => `  ${l}`)];
    const d = r.body.diagnosis;
    if (d) lines.push(`  diagnosis: ${d.code}${d.step ? ` at ${d.step}` : ''}`, `    cause: ${d.cause}`, `    hint: ${d.hint}`, `    retry can help: ${d.retryable ? 'yes' : 'no'}`);
    return show(r.body, () => lines.join('\n'));
  }
  const [why, node] = await Promise.all([get(endpoint, `/v1/anvil/nodes/${encodeURIComponent(ident)}/why`), get(endpoint, `/v1/nodes/${encodeURIComponent(ident)}`)]);
  if (why.status !== 200) return fail(why);
  const report = why.body as WhyReport;
  if (node.status === 200) report.scheduling = unusableReasons(node.body);
  return show(report, () => formatWhy(report));
}

function fail(r: { status: number; body: unknown }) {
  return { code: 1, out: '', err: `anvil why: HTTP ${r.status}: ${errorText(r.body)}` };
}
