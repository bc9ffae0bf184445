/**
 * `anvil node enroll FILE` against a real `anvil server`: a bifrost-like YAML inventory is enrolled, managed and
 * provided in parallel; a bad driver and a MAC that belongs to another node are failures in the summary table (the
 * node made for the second is deleted again); a re-run is idempotent; a CSV inventory with --no-provide stops at
 * manageable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../anvil-server.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'anvil.js');

test('anvil node enroll: parallel enrol/manage/provide, a failure summary, idempotent re-run, CSV', { timeout: 180_000 }, async () => {
  const anvil = await startServer({ driver: 'fake-hardware', settings: { compute_enabled: false } });
  const dir = mkdtempSync(join(tmpdir(), 'anvil-enroll-'));
  try {
    const other = await anvil.api('POST', '/nodes', { driver: 'fake-hardware', name: 'other' });
    assert.equal((await anvil.api('POST', '/ports', { node_uuid: other.body.uuid, address: '52:54:00:00:00:99' })).status, 201);
    const yaml = join(dir, 'inventory.yaml');
    writeFileSync(yaml, `
rack-a:
  driver: fake-hardware
  driver_info: {}
  properties: {cpus: 4, memory_mb: 8192, local_gb: 40, cpu_arch: x86_64}
  nics: [{mac: "52:54:00:00:00:01"}]
rack-b:
  driver: fake-hardware
  nics: [{mac: "52:54:00:00:00:02"}, {mac: "52:54:00:00:00:12"}]
rack-c:
  driver: fake-hardware
  resource_class: baremetal
rack-d:
  driver: no-such-driver
rack-e:
  driver: fake-hardware
  nics: [{mac: "52:54:00:00:00:99"}]
`);
    const env = { ...process.env, OS_ENDPOINT: anvil.url };
    const first = await run(process.execPath, [BIN, 'node', 'enroll', yaml, '--concurrency', '3'], { env }).then(() => assert.fail('exit 0 despite failures'), (e) => e);
    assert.equal(first.code, 1);
    const out: string = first.stdout;
    assert.match(out, /^5 node\(s\): 3 available, 2 failed$/m);
    assert.match(out, /^rack-d +create +POST \/nodes: .*no-such-driver.* \(HTTP 400\)$/m);
    assert.match(out, /^rack-e +ports +MAC 52:54:00:00:00:99 is already the port [0-9a-f-]{36} of node [0-9a-f-]{36}$/m);
    assert.equal((await anvil.api('GET', '/nodes/rack-e')).status, 404, 'the half-made node was deleted again');
    const b = (await anvil.api('GET', '/nodes/rack-b')).body;
    assert.equal(b.provision_state, 'available');
    assert.equal((await anvil.api('GET', `/ports?node_uuid=${b.uuid}`)).body.ports.length, 2);
    assert.equal((await anvil.api('GET', '/nodes/rack-a')).body.properties.memory_mb, 8192);

    const again = await run(process.execPath, [BIN, 'node', 'enroll', yaml, '-f', 'json'], { env }).then(() => assert.fail('exit 0'), (e) => e);
    const results = JSON.parse(again.stdout) as { name: string; ok: boolean; created: boolean; state: string }[];
    assert.deepEqual(results.filter((r) => r.ok).map((r) => [r.name, r.created, r.state]).sort(), [['rack-a', false, 'available'], ['rack-b', false, 'available'], ['rack-c', false, 'available']]);
    assert.equal((await anvil.api('GET', '/nodes')).body.nodes.length, 4, 'no duplicates');

    const csv = join(dir, 'inventory.csv');
    writeFileSync(csv, 'name,driver,mac,properties.cpus,driver_info.fake_power_sleep\ncsv-1,fake-hardware,52:54:00:00:01:01;52:54:00:00:01:02,8,0\n');
    const third = await run(process.execPath, [BIN, 'node', 'enroll', csv, '--no-provide', '--endpoint', anvil.url], { env: process.env });
    assert.match(third.stdout, /^1 node\(s\): 1 manageable$/m);
    const c = (await anvil.api('GET', '/nodes/csv-1')).body;
    assert.deepEqual([c.provision_state, c.properties.cpus], ['manageable', 8]);
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
