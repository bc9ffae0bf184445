/**
 * `anvil watch [--node UUID[,UUID]] [-f table|json|yaml|value] [-c FIELD] [--endpoint URL]`: live node events from the API's event
 * stream (GET /v1/anvil/events, Server-Sent Events), one line each, until interrupted. A dropped stream is
 * reconnected (said once on stderr); a refusal (401, 404 on an API process without events) is one line and exit 1.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnvilError } from '@anvil/sdk';
import { OUTPUT_USAGE, type OutputOptions, formatList, formatOne, splitOutputArgs } from '@anvil/sdk/output';
import { authHeaders, endpointOf } from '../endpoint.ts';

const USAGE = `usage: anvil watch [--node UUID[,UUID]] [--endpoint URL] [output options]

Prints node state changes as they happen (provision state, target, power state, last error), from the API's
event stream. --endpoint defaults to OS_ENDPOINT or http://127.0.0.1:6385; OS_TOKEN or OS_AUTH_TYPE=http_basic
with OS_USERNAME/OS_PASSWORD authenticate. An event per line (table), per JSON line (json), per YAML document
(yaml) or its values on a line (value); -c picks the fields (uuid, provision_state, target_provision_state,
power_state, last_error, maintenance, event, at).
${OUTPUT_USAGE}`;

interface NodeEvent {
  uuid: string;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  last_error: string | null;
  maintenance: boolean;
  event: string;
  at: string;
}

export function formatEvent(e: NodeEvent): string {
  const target = e.target_provision_state ? ` → ${e.target_provision_state}` : '';
  const err = e.last_error ? `  error: ${e.last_error.split('\n')[0].slice(0, 120)}` : '';
  return `${e.at.slice(11, 23)}  ${e.uuid}  ${(e.provision_state + target).padEnd(28)} ${String(e.power_state ?? 'None').padEnd(10)} ${e.event}${e.maintenance ? ' [maintenance]' : ''}${err}`;
}

/** Reads one SSE response, calling `onEvent` for each `event: node`. Resolves when the stream ends. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (e: NodeEvent) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data && /^event: node$/m.test(block)) onEvent(JSON.parse(data) as NodeEvent);
    }
  }
}

/** one event as a line (table: the time, node, old → new state) or in the formatter's json (one line) / yaml (a document) / value */
export function eventText(e: NodeEvent, o: OutputOptions): string {
  if (o.format === 'table' && !o.columns.length) return formatEvent(e);
  const names = Object.keys(e);
  const values = Object.values(e);
  if (o.format === 'json') return formatOne(names, values, { ...o, noindent: true });
  if (o.format === 'yaml') return `---\n${formatOne(names, values, o)}`;
  return formatList(names, [values], o);
}

export async function run(argv: string[]): Promise<number> {
  const { output, rest } = splitOutputArgs(argv, process.env);
  const { values } = parseArgs({ args: rest, options: { node: { type: 'string' }, endpoint: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const url = `${endpointOf(values.endpoint)}/v1/anvil/events${values.node ? `?node=${encodeURIComponent(values.node)}` : ''}`;
  const print = (e: NodeEvent) => console.log(eventText(e, output));
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  let connectedOnce = false;
  while (!stop.signal.aborted) {
    let r: Response;
    try {
      r = await fetch(url, { headers: { Accept: 'text/event-stream', ...(await authHeaders()) }, signal: stop.signal });
    } catch (err) {
      if (stop.signal.aborted) break;
      if (!connectedOnce) throw new AnvilError(`anvil watch: cannot reach ${url} (${((err as Error).cause as Error)?.message ?? (err as Error).message})`, 'ConnectionFailed', 503);
      await sleep(1000);
      continue;
    }
    if (r.status !== 200) throw new AnvilError(`anvil watch: GET /v1/anvil/events answered HTTP ${r.status}${r.status === 401 ? ' (set OS_TOKEN, or OS_AUTH_TYPE=http_basic with OS_USERNAME/OS_PASSWORD)' : ''}`, 'ApiError', r.status);
    if (!connectedOnce) console.error(`anvil watch: following ${url} (Ctrl-C to stop)`);
    connectedOnce = true;
    try {
      await readEvents(r.body as ReadableStream<Uint8Array>, print);
    } catch (err) {
      if (stop.signal.aborted) break;
      console.error(`anvil watch: stream dropped (${(err as Error).message}); reconnecting`);
    }
    if (!stop.signal.aborted) await sleep(500);
  }
  return 0;
}
