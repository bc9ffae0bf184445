/**
 * Power-state sync and power-failure recovery against real (loopback) hardware: the example `acme` plugin talks
 * HTTP to a small BMC here that can be stuck (ignores power changes) or down (answers 500).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { NodeRecord } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { PowerSyncCounters, recoverPowerFailures, syncPowerStates } from '@anvil/conductor';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';

const bmc = { power: 'off' as 'on' | 'off', stuck: false, down: false, sets: 0 };
let server: Server;
let address = '';
let tdb: TestDatabase;
let c: TestConductor;

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (bmc.down) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'BMC firmware crashed' }));
        return;
      }
      if (req.url === '/power' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ state: bmc.power }));
        return;
      }
      if (req.url === '/power' && req.method === 'PUT') {
        bmc.sets++;
        if (!bmc.stuck) bmc.power = JSON.parse(raw).state === 'on' ? 'on' : 'off';
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  tdb = await testEngines()[0].open();
  c = await startTestConductor(tdb.db, {
    enabled_hardware_types: ['fake-hardware', 'acme'],
    enabled_power_interfaces: ['fake', 'acme'],
    enabled_vendor_interfaces: ['fake', 'acme', 'no-vendor'],
    sync_power_state_interval: 0,
    power_failure_recovery_interval: 0,
    power_state_sync_max_retries: 3,
  });
});

after(async () => {
  await c?.stop();
  await tdb?.cleanup();
  await new Promise<void>((r) => server?.close(() => r()));
});

test('sync pushes the DB state to the hardware; a persistent mismatch ends in maintenance with fault power failure; recovery clears it', async () => {
  const node: NodeRecord = await c.createNode({
    driver: 'acme',
    provision_state: 'available',
    power_state: 'power on',
    driver_info: { acme_address: address },
  });
  const ctx = c.conductor.ctx;
  const counters = new PowerSyncCounters();
  const get = () => c.db.nodes.getByUuid(node.uuid) as Promise<NodeRecord>;

  // mismatch: BMC off, DB on → forced back on
  bmc.power = 'off';
  let r = await syncPowerStates(ctx, counters);
  assert.equal(r.fixed, 1);
  assert.equal(bmc.power, 'on');
  assert.equal((await get()).power_state, 'power on');
  assert.equal((await get()).reservation, null);
  // in sync now: the failure count starts again from zero
  r = await syncPowerStates(ctx, counters);
  assert.equal(r.fixed, 0);
  assert.equal(counters.counts.size, 0);

  // stuck hardware: every round retries; after max retries → maintenance + fault, DB takes the real state
  bmc.stuck = true;
  bmc.power = 'off';
  for (let i = 1; i <= 3; i++) {
    await syncPowerStates(ctx, counters);
    const x = await get();
    assert.equal(x.maintenance, false, `round ${i}`);
  }
  r = await syncPowerStates(ctx, counters);
  assert.equal(r.failed, 1);
  let x = await get();
  assert.equal(x.maintenance, true);
  assert.equal(x.fault, 'power failure');
  assert.equal(x.power_state, 'power off');
  assert.match(x.maintenance_reason!, /During sync_power_state, max retries exceeded for node/);
  // nodes in maintenance are not synced
  const sets = bmc.sets;
  await syncPowerStates(ctx, counters);
  assert.equal(bmc.sets, sets);

  // BMC down: recovery leaves it in maintenance
  bmc.stuck = false;
  bmc.down = true;
  assert.equal(await recoverPowerFailures(ctx), 0);
  assert.equal((await get()).maintenance, true);
  // BMC back: recovery clears maintenance, reason and fault
  bmc.down = false;
  assert.equal(await recoverPowerFailures(ctx), 1);
  x = await get();
  assert.equal(x.maintenance, false);
  assert.equal(x.maintenance_reason, null);
  assert.equal(x.fault, null);
  assert.equal(x.reservation, null);
});

test('an unreadable BMC counts as a failure too', async () => {
  const node: NodeRecord = await c.createNode({
    driver: 'acme',
    provision_state: 'available',
    power_state: 'power off',
    driver_info: { acme_address: address },
  });
  const counters = new PowerSyncCounters();
  bmc.down = true;
  for (let i = 0; i < 4; i++) await syncPowerStates(c.conductor.ctx, counters);
  const x: NodeRecord = await c.db.nodes.getByUuid(node.uuid);
  assert.equal(x.maintenance, true);
  assert.equal(x.fault, 'power failure');
  assert.match(x.maintenance_reason!, /Error: /);
  bmc.down = false;
});
