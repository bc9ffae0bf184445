/**
 * /metrics, /healthz and /readyz of a real `anvil server` while it drives nodes: fake-hardware nodes go
 * enroll → manageable → available → active at once, then power on; the scrape is parsed (test/ops/prom-text.ts) and the
 * listed series must be there with values that match what was done. With auth_strategy=http_basic, /healthz and
 * /readyz answer without credentials (like Ironic's /healthcheck), /metrics only with them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startServer } from '../anvil-server.ts';
import { until } from '../wait.ts';
import { checkHistogram, parsePrometheus, select, sum } from './prom-text.ts';

const NODES = 5;

test('metrics while driving nodes: HTTP, RPC, tasks, steps, BMC calls, nodes by state, pool, process', { timeout: 240_000 }, async () => {
  const anvil = await startServer({ driver: 'fake-hardware', settings: { compute_enabled: false, enabled_hardware_types: 'fake-hardware' } });
  try {
    assert.deepEqual(await (await fetch(`${anvil.url}/healthz`)).json(), { status: 'ok' });
    const uuids = await Promise.all(
      Array.from({ length: NODES }, async (_, i) => {
        const r = await anvil.api('POST', '/nodes', { driver: 'fake-hardware', name: `m${i}` });
        assert.equal(r.status, 201);
        return r.body.uuid as string;
      }),
    );
    const drive = async (uuid: string, target: string, state: string) => {
      const r = await anvil.api('PUT', `/nodes/${uuid}/states/provision`, { target });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await until(`${uuid} ${state}`, async () => ((await anvil.api('GET', `/nodes/${uuid}`)).body.provision_state === state ? true : undefined), 90_000);
    };
    await Promise.all(uuids.map(async (u) => {
      await drive(u, 'manage', 'manageable');
      await drive(u, 'provide', 'available');
      await drive(u, 'active', 'active');
      const p = await anvil.api('PUT', `/nodes/${u}/states/power`, { target: 'power on' });
      assert.equal(p.status, 202);
      await until(`${u} on`, async () => ((await anvil.api('GET', `/nodes/${u}`)).body.power_state === 'power on' ? true : undefined), 90_000);
    }));

    const ready = await fetch(`${anvil.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok', checks: { database: 'ok', conductors: 'ok (1 alive)', rpc: 'ok (local)' } });

    const r = await fetch(`${anvil.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const s = parsePrometheus(await r.text());
    // nodes by provision and power state, read from the database at scrape time
    assert.equal(sum(s, 'anvil_nodes', { provision_state: 'active' }), NODES);
    assert.equal(sum(s, 'anvil_nodes', { provision_state: 'active', power_state: 'power on' }), NODES, JSON.stringify(select(s, 'anvil_nodes')));
    // HTTP per route template (no uuids in labels), latency histograms well formed
    assert.equal(sum(s, 'anvil_http_requests_total', { method: 'POST', route: '/v1/nodes', status: '201' }), NODES);
    assert.equal(sum(s, 'anvil_http_requests_total', { method: 'PUT', route: '/v1/nodes/:ident/states/provision', status: '202' }), 3 * NODES);
    assert.ok(select(s, 'anvil_http_requests_total').every((x) => !/[0-9a-f]{8}-[0-9a-f]{4}/.test(x.labels.route)), 'no uuid in a route label');
    assert.ok(checkHistogram(s, 'anvil_http_request_duration_seconds') >= 3);
    // RPC from the API to the conductor: one do_provision_action per action, all ok
    assert.equal(sum(s, 'anvil_rpc_call_duration_seconds_count', { method: 'do_provision_action', outcome: 'ok' }), 3 * NODES);
    checkHistogram(s, 'anvil_rpc_call_duration_seconds');
    // tasks per flow and deploy steps; BMC (power interface) calls per driver
    assert.ok(sum(s, 'anvil_task_duration_seconds_count', { outcome: 'ok' }) >= 4 * NODES); // manage, provide, deploy, power
    assert.equal(sum(s, 'anvil_task_duration_seconds_count', { flow: 'node deployment', outcome: 'ok' }), NODES);
    checkHistogram(s, 'anvil_task_duration_seconds');
    assert.equal(sum(s, 'anvil_step_duration_seconds_count', { flow: 'deploy', interface: 'deploy', step: 'deploy', outcome: 'ok' }), NODES);
    assert.ok(sum(s, 'anvil_bmc_call_duration_seconds_count', { driver: 'fake-hardware', interface: 'power', method: 'setPowerState' }) >= NODES);
    assert.equal(sum(s, 'anvil_bmc_call_failures_total'), 0);
    assert.equal(sum(s, 'anvil_node_provision_transitions_total', { to: 'active' }), NODES);
    assert.equal(sum(s, 'anvil_conductors_alive'), 1);
    const pool = sum(s, 'anvil_db_pool_connections', { state: 'used' }) + sum(s, 'anvil_db_pool_connections', { state: 'free' });
    assert.ok(pool >= 1, `pool size ${pool}`);
    assert.ok(sum(s, 'anvil_process_resident_memory_bytes') > 10e6);
    const mean = select(s, 'anvil_http_request_duration_seconds_sum', { route: '/v1/nodes', method: 'POST' })[0].value / NODES;
    assert.ok(mean > 0 && mean < 10, `mean POST /v1/nodes ${mean} s`);
  } finally {
    await anvil.stop();
  }
});

test('http_basic: /healthz and /readyz need no credentials, /metrics does', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-ops-'));
  const users = join(dir, 'htpasswd');
  writeFileSync(users, `ops:${bcrypt.hashSync('secret', 4)}\n`);
  const anvil = await startServer({ driver: null, settings: { compute_enabled: false, auth_strategy: 'http_basic', http_basic_auth_user_file: users } });
  try {
    await until('API up', async () => ((await fetch(`${anvil.url}/healthz`).catch(() => null))?.status === 200 ? true : undefined), 90_000);
    assert.equal((await fetch(`${anvil.url}/readyz`)).status, 200);
    const denied = await fetch(`${anvil.url}/metrics`);
    assert.equal(denied.status, 401);
    const ok = await fetch(`${anvil.url}/metrics`, { headers: { Authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` } });
    assert.equal(ok.status, 200);
    assert.ok(select(parsePrometheus(await ok.text()), 'anvil_conductors_alive').length === 1);
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
