/**
 * `anvil node enroll FILE`: enrol an inventory (cli/src/inventory.ts: bifrost-like YAML/JSON, or CSV) in parallel —
 * create each node (a node of that name already there is kept), its ports, then manage and provide it — with a
 * progress line on a terminal and a summary with a table of the failures (-f json: every result). Re-running is
 * idempotent: nodes already enrolled or further along are left where they are. A node this run created is deleted
 * again when its ports cannot be made. Exit 1 when any node failed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnvilError } from '@anvil/sdk';
import { formatRecords, splitOutputArgs } from '@anvil/sdk/output';
import { endpointOf, type IronicCall, ironicCaller } from '../endpoint.ts';
import { type InventoryNode, parseInventory } from '../inventory.ts';
import { runResource, usage as resourceUsage } from './resources.ts';

const USAGE = `${resourceUsage('node')}
       anvil node enroll FILE [--no-manage] [--no-provide] [--concurrency N] [--timeout S] [--endpoint URL] [output options]

FILE: YAML/JSON (bifrost's shape: name → {driver, driver_info, properties, nics: [{mac}], …}, or a list) or CSV
with a header row (name,driver,mac,driver_info.ipmi_address,properties.cpus,… ; several MACs separated by ';').
Each node is created with its ports, then managed and provided (cleaning), --concurrency at a time (default 8).
Output: a summary and a table of the failures; -f json|yaml|value or -c: one row per node (${'name, uuid, state, ok, step, error, created'}).`;

const RESULT_COLUMNS = (['name', 'uuid', 'state', 'ok', 'step', 'error', 'created'] as const).map((c) => [c, c] as const);

export interface EnrollResult {
  name: string | null;
  uuid: string | null;
  state: string | null;
  ok: boolean;
  step: string;
  error: string | null;
  created: boolean;
}

async function waitFor(call: IronicCall, uuid: string, want: string, failed: (n: any) => boolean, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await call('GET', `/nodes/${uuid}`);
    if (n.provision_state === want && !n.target_provision_state) return n;
    if (failed(n)) throw new AnvilError(`${n.provision_state}: ${n.last_error ?? 'no error recorded'}`, 'StepFailed', 500);
    if (Date.now() > deadline) throw new AnvilError(`still ${n.provision_state} after ${timeoutMs / 1000} s`, 'Timeout', 504);
    await sleep(500);
  }
}

export async function enrollOne(call: IronicCall, n: InventoryNode, opts: { manage: boolean; provide: boolean; timeoutMs: number }): Promise<EnrollResult> {
  const r: EnrollResult = { name: n.name, uuid: null, state: null, ok: false, step: 'create', error: null, created: false };
  try {
    const existing = n.name ? await call('GET', `/nodes/${encodeURIComponent(n.name)}`).catch((e: AnvilError) => (e.status === 404 ? null : Promise.reject(e))) : null;
    const node = existing ?? (await call('POST', '/nodes', n.fields));
    r.created = !existing;
    r.uuid = node.uuid;
    r.state = node.provision_state;
    r.step = 'ports';
    try {
      for (const mac of n.macs) {
        const ports = (await call('GET', `/ports?address=${encodeURIComponent(mac)}&fields=uuid,node_uuid`)).ports as { uuid: string; node_uuid: string }[];
        if (ports.length && ports[0].node_uuid !== node.uuid) throw new AnvilError(`MAC ${mac} is already the port ${ports[0].uuid} of node ${ports[0].node_uuid}`, 'MACAlreadyExists', 409);
        if (!ports.length) await call('POST', '/ports', { node_uuid: node.uuid, address: mac });
      }
    } catch (err) {
      if (r.created) {
        await call('DELETE', `/nodes/${node.uuid}`).catch(() => undefined); // undo: no node without its ports
        r.uuid = null;
        r.state = null;
      }
      throw err;
    }
    if (opts.manage && r.state === 'enroll') {
      r.step = 'manage';
      await call('PUT', `/nodes/${node.uuid}/states/provision`, { target: 'manage' });
      r.state = (await waitFor(call, node.uuid, 'manageable', (x) => x.provision_state === 'enroll' && !!x.last_error && !x.target_provision_state, opts.timeoutMs)).provision_state;
    }
    if (opts.manage && opts.provide && r.state === 'manageable') {
      r.step = 'provide';
      await call('PUT', `/nodes/${node.uuid}/states/provision`, { target: 'provide' });
      r.state = (await waitFor(call, node.uuid, 'available', (x) => ['clean failed', 'error'].includes(x.provision_state) || (x.provision_state === 'manageable' && !!x.last_error), opts.timeoutMs)).provision_state;
    }
    r.step = 'done';
    r.ok = true;
  } catch (err) {
    r.error = (err as Error).message.split('\n')[0];
  }
  return r;
}

/** Run `fn` over `items`, `limit` at a time, calling `progress` after each. */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>, progress: (done: R[]) => void): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        out.push(await fn(item));
        progress(out);
      }
    }),
  );
  return out;
}

export function summary(results: EnrollResult[]): string {
  const byState = new Map<string, number>();
  for (const r of results) if (r.ok) byState.set(r.state ?? '?', (byState.get(r.state ?? '?') ?? 0) + 1);
  const failed = results.filter((r) => !r.ok);
  const states = [...byState].map(([s, n]) => `${n} ${s}`).join(', ');
  const lines = [`${results.length} node(s): ${states || 'none enrolled'}${failed.length ? `, ${failed.length} failed` : ''}`];
  if (failed.length) {
    const w = Math.max(4, ...failed.map((f) => String(f.name ?? f.uuid ?? '?').length));
    lines.push('', `${'node'.padEnd(w)}  step     error`);
    for (const f of failed) lines.push(`${String(f.name ?? f.uuid ?? '?').padEnd(w)}  ${f.step.padEnd(7)}  ${f.error}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const shown = await runResource('node', argv);
  if (shown !== null) return shown;
  const { output, rest } = splitOutputArgs(argv, process.env);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'no-manage': { type: 'boolean' },
      'no-provide': { type: 'boolean' },
      concurrency: { type: 'string', default: '8' },
      timeout: { type: 'string', default: '1800' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [verb, file] = positionals;
  if (values.help || verb !== 'enroll' || !file) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const nodes = parseInventory(readFileSync(file, 'utf8'), file);
  const call = ironicCaller(endpointOf(values.endpoint), 'latest');
  const custom = output.format === 'table' && !output.columns.length;
  const tty = process.stderr.isTTY === true && custom;
  const bar = (done: EnrollResult[]) => {
    if (!tty) return;
    const width = 30;
    const filled = Math.round((done.length / nodes.length) * width);
    const failed = done.filter((d) => !d.ok).length;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.length}/${nodes.length}${failed ? `, ${failed} failed` : ''} `);
  };
  const opts = { manage: !values['no-manage'], provide: !values['no-provide'], timeoutMs: Number(values.timeout) * 1000 };
  const results = await pool(nodes, Math.max(1, Number(values.concurrency) || 8), (n) => enrollOne(call, n, opts), bar);
  if (tty) process.stderr.write('\n');
  const text = custom ? summary(results) : formatRecords(RESULT_COLUMNS, results as unknown as Record<string, unknown>[], output);
  if (text) console.log(text);
  return results.every((r) => r.ok) ? 0 : 1;
}
