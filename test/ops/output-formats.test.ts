/**
 * Every `anvil` command that prints data, found in the command registry (cli/src/main.ts `data`), run against a
 * real `anvil server` (with its compute API) in each format: json and yaml parse back to the same value, value and
 * table print, `-c` keeps exactly the named column, and `-c` naming nothing known is refused as cliff refuses it.
 * A command registered without data invocations must be one of NO_DATA (with the reason), so a new command that
 * prints data cannot miss the formatter unnoticed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { commands } from '../../cli/src/main.ts';
import { startServer } from '../anvil-server.ts';
import { freePort } from '../free-port.ts';
import { until } from '../wait.ts';

/** commands that print no data, and why */
const NO_DATA: Record<string, string> = {
  api: 'a service process',
  compute: 'a service process',
  configdrive: 'writes a drive file',
  watch: 'a stream (its formats: eventText, test/ops/watch-completion.test.ts)',
  completion: 'prints a shell script',
  lab: 'starts VMs (root)',
  sim: 'a long-running simulator',
};

/** run a command in-process, its stdout captured */
async function anvil(line: string[]): Promise<{ code: number; out: string; err: string }> {
  const [name, ...argv] = line;
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const env = { ...process.env }; // loadSettings exports ANVIL_LOG_* for the logger: a real CLI process ends there

  console.log = (...a: unknown[]) => out.push(a.map(String).join(' '));
  console.error = (...a: unknown[]) => err.push(a.map(String).join(' '));
  try {
    const code = await (await commands()[name].load()).run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  }
}

/** what a refused command says: the error main() prints as one line, or the command's own stderr line (exit ≠ 0) */
async function refusal(line: string[]): Promise<string> {
  const r = await anvil(line).catch((e: Error) => ({ code: 1, out: '', err: e.message }));
  assert.notEqual(r.code, 0, `anvil ${line.join(' ')} was not refused`);
  return r.err;
}

test('every data-printing command: -f table|json|yaml|value, -c, --noindent', { timeout: 180_000 }, async () => {
  const registry = commands();
  for (const [name, c] of Object.entries(registry)) if (!c.data.length) assert.ok(NO_DATA[name], `anvil ${name} declares no data invocations and is not in NO_DATA`);

  const computePort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'anvil-formats-'));
  const anvilServer = await startServer({ computePort, settings: { compute_resource_interval: 1 }, env: { ANVIL_LOG_LEVEL: 'warn' } });
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('OS_') || k.startsWith('ANVIL_') || k === 'CLIFF_MAX_TERM_WIDTH') delete process.env[k];
    Object.assign(process.env, { OS_ENDPOINT: anvilServer.url, ANVIL_COMPUTE_ENDPOINT: `http://127.0.0.1:${computePort}`, ANVIL_DATA_DIR: join(dir, 'data') });
    const api = async (path: string, body: unknown) => {
      const r = await anvilServer.api('POST', path, body, 'latest');
      assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await until('the compute API answers', () => fetch(`http://127.0.0.1:${computePort}/v2.1`).then((r) => r.ok, () => false), 60_000);
    const node = await api('/nodes', { driver: 'fake-hardware', name: 'fmt-0', properties: { cpus: 4 } });
    const port = await api('/ports', { node_uuid: node.uuid, address: '52:54:00:aa:bb:01' });
    const portgroup = await api('/portgroups', { node_uuid: node.uuid, name: 'pg0', address: '52:54:00:aa:bb:02' });
    const chassis = await api('/chassis', { description: 'rack 1' });
    const allocation = await api('/allocations', { resource_class: 'fmt-none', name: 'alloc-0' });
    const template = await api('/deploy_templates', { name: 'CUSTOM_FMT', steps: [{ interface: 'raid', step: 'create_configuration', args: {}, priority: 90 }] });
    const runbook = await api('/runbooks', { name: 'CUSTOM_FMT_RB', steps: [{ interface: 'bios', step: 'apply_configuration', args: { settings: [] }, order: 0 }] });
    const conductor = (await anvilServer.api('GET', '/conductors', undefined, 'latest')).body.conductors[0].hostname;
    const ok = async (line: string[]) => {
      const r = await anvil(line);
      assert.equal(r.code, 0, `anvil ${line.join(' ')}: ${r.err}`);
    };
    await ok(['flavor', 'create', 'fmt-bm', '--resource-class', 'fmt-none', '-f', 'value']);
    await ok(['image', 'create', 'fmt-img', '--url', 'http://127.0.0.1:9/x.raw', '--checksum', 'c0ffee']);
    // a server that finds no node ends in ERROR, and is still a server to show
    await ok(['server', 'create', 'fmt-vm', '--flavor', 'fmt-bm', '--image', 'fmt-img', '--no-wait']);
    await until('fmt-vm in ERROR', async () => (await anvil(['server', 'show', 'fmt-vm', '-f', 'value', '-c', 'status'])).out === 'ERROR', 60_000);
    const inventory = join(dir, 'inventory.yaml');
    writeFileSync(inventory, 'inv-0:\n  driver: fake-hardware\n  nics:\n    - mac: "52:54:00:aa:bb:03"\n');
    await ok(['node', 'enroll', inventory, '--no-provide', '-f', 'value']); // enrolled once: re-runs print the same
    const ids: Record<string, string> = {
      node: node.name,
      port: port.uuid,
      portgroup: portgroup.uuid,
      chassis: chassis.uuid,
      allocation: allocation.uuid,
      deploy_template: template.uuid,
      runbook: runbook.uuid,
      conductor,
      driver: 'fake-hardware',
      flavor: 'fmt-bm',
      image: 'fmt-img',
      server: 'fmt-vm',
      mac: port.address,
      inventory: `${inventory} --no-provide`,
    };
    for (const c of Object.values(registry)) {
      for (const sample of c.data) {
        const line = sample.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? assert.fail(`${sample}: no fixture for {${k}}`)).split(' ');
        const run = async (...extra: string[]) => {
          const r = await anvil([...line, ...extra]);
          assert.equal(r.code, 0, `anvil ${line.join(' ')} ${extra.join(' ')}: exit ${r.code}\n${r.out}\n${r.err}`);
          return r.out;
        };
        const noindent = await run('-f', 'json', '--noindent');
        assert.ok(!noindent.includes('\n'), `${sample} --noindent: ${noindent}`);
        const json = JSON.parse(noindent);
        assert.ok(typeof json === 'object' && json !== null, sample);
        assert.deepEqual(parseYaml(await run('-f', 'yaml')), json, `${sample}: yaml and json differ`);
        const rows: Record<string, unknown>[] = Array.isArray(json) ? json : [json];
        assert.ok(rows.length, `${sample}: the fixtures should make a list that is not empty`);
        const value = await run('-f', 'value');
        const table = await run('-f', 'table', '--max-width', '200');
        assert.ok(value.length && table.length, `${sample}: value/table printed nothing`);
        const column = Object.keys(rows[0])[0];
        const one = JSON.parse(await run('-f', 'json', '-c', column, '-c', 'no-such-column'));
        for (const r of Array.isArray(one) ? one : [one]) assert.deepEqual(Object.keys(r), [column], `${sample} -c ${column}`);
        assert.match(await refusal([...line, '-c', 'no-such-column']), /No recognized column names in \['no-such-column'\]\. Recognized columns are \[/, sample);
      }
    }
    // as the baremetal CLI: a driver's hosts joined by ', '
    assert.equal((await anvil(['driver', 'show', 'fake-hardware', '-f', 'value', '-c', 'hosts'])).out, `['${conductor}']`);
    assert.match((await anvil(['driver', 'list', '-f', 'value', '-c', 'Active host(s)'])).out, new RegExp(`^${conductor}$`, 'm'));
    for (const line of [['node', 'list'], ['server', 'list'], ['config', 'show']]) {
      assert.match(await refusal([...line, '-f', 'xml']), /argument -f\/--format: invalid choice: 'xml' \(choose from 'table', 'json', 'yaml', 'value'\)/);
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await anvilServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
