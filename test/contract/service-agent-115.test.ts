/**
 * Servicing through the agent against the REAL Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): on each
 * server an active fake-hardware node switched to the `direct` deploy interface is serviced with an in-band step,
 * and a protocol-faithful simulated agent (tools/agent-sim, one per ramdisk boot) looks it up in `service wait`,
 * lists its service steps and runs them. Both servers must end in the same states with the same last_error,
 * maintenance, fault and service_step, and record the same servicing history: a step that succeeds (→ active), a
 * `hold` step before it that Ironic 39 drops at the ramdisk's first heartbeat (→ active, never `service hold`), a
 * step the agent fails (→ service failed, Ironic 39's deploying error handler), then abort (→ active).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FileDisk, SimAgent } from '@anvil/agent-sim';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { startWorld, type World } from './fixture.ts';
import { call, normalise } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const run = randomUUID().slice(0, 8);
const MAC = `52:54:00:${run.slice(0, 2)}:${run.slice(2, 4)}:${run.slice(4, 6)}`;
const NAME = `sa-${run}`;
let w: World;
const dir = mkdtempSync(join(tmpdir(), 'anvil-svc-agent-'));
const agents: SimAgent[] = [];
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;

before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(async () => {
  for (const a of agents) await a.stop();
  await w?.close();
  rmSync(dir, { recursive: true, force: true });
});


async function rests(base: string, state: string): Promise<any> {
  let seen = '';
  return until(`${NAME} in ${state} on ${base}`, async () => {
    const n = (await call(base, 'GET', `/v1/nodes/${NAME}`)).body;
    seen = `${n.provision_state} (${n.last_error})`;
    return n.provision_state === state && n.reservation === null ? n : undefined;
  }, 60_000, async () => seen);
}

/** A fresh ramdisk: a simulated agent looking the node up on this server. */
async function bootAgent(base: string): Promise<void> {
  const agent = new SimAgent({ apiUrl: base, macs: [MAC], disk: new FileDisk(join(dir, `${agents.length}.img`), 8 * 1024 * 1024), powerOff: async () => undefined, heartbeatMs: 500, forcedGapMs: 0 });
  agents.push(agent);
  await agent.start();
}

const FIELDS = ['provision_state', 'target_provision_state', 'last_error', 'maintenance', 'maintenance_reason', 'fault', 'service_step'];

/** The node's state fields and its servicing history entries, normalised. */
async function snapshot(base: string): Promise<string> {
  const n = (await call(base, 'GET', `/v1/nodes/${NAME}`)).body;
  const h = (await call(base, 'GET', `/v1/nodes/${NAME}/history?detail=True`)).body.history as Record<string, unknown>[];
  const history = h.filter((e) => /servic|deploying/.test(String(e.event_type))).map(({ event, event_type, severity, state }) => ({ event, event_type, severity, state }));
  return normalise(base, JSON.stringify({ node: Object.fromEntries(FIELDS.map((k) => [k, n[k]])), history }), []);
}

async function both(fn: (base: string) => Promise<void>): Promise<void> {
  await Promise.all([fn(w.url), fn(IRONIC!)]);
}

test('servicing through the agent: the same states, errors and history as Ironic 39', async () => {
  await both(async (base) => {
    const made = await call(base, 'POST', '/v1/nodes', { driver: 'fake-hardware', name: NAME, automated_clean: false, storage_interface: 'noop' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await call(base, 'POST', '/v1/ports', { node_uuid: made.body.uuid, address: MAC })).status, 201);
    for (const [target, state] of [['manage', 'manageable'], ['provide', 'available'], ['active', 'active']]) {
      assert.equal((await call(base, 'PUT', `/v1/nodes/${NAME}/states/provision`, { target })).status, 202);
      await rests(base, state);
    }
    // Ironic 39 changes the deploy interface of an active node only in maintenance
    assert.equal((await call(base, 'PUT', `/v1/nodes/${NAME}/maintenance`, { reason: 'to direct' })).status, 202);
    assert.equal((await call(base, 'PATCH', `/v1/nodes/${NAME}`, [{ op: 'replace', path: '/deploy_interface', value: 'direct' }])).status, 200);
    assert.equal((await call(base, 'DELETE', `/v1/nodes/${NAME}/maintenance`)).status, 202);
  });
  const deploy = (step: string) => ({ interface: 'deploy', step });
  const steps: [Record<string, string>[], string][] = [
    [[deploy('burnin_cpu')], 'active'],
    // a hold step: kept while the list cannot be validated, dropped when the ramdisk's first heartbeat sets the steps
    [[deploy('hold'), deploy('burnin_cpu')], 'active'],
    [[deploy('burnin_network')], 'service failed'],
  ];
  for (const [list, end] of steps) {
    const step = list.map((s) => s.step).join(',');
    await both(async (base) => {
      const r = await call(base, 'PUT', `/v1/nodes/${NAME}/states/provision`, { target: 'service', service_steps: list });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await bootAgent(base);
      await rests(base, end);
    });
    const [a, i] = await Promise.all([snapshot(w.url), snapshot(IRONIC!)]);
    assert.equal(a, i, `after ${step}`);
  }
  await both(async (base) => {
    assert.equal((await call(base, 'PUT', `/v1/nodes/${NAME}/states/provision`, { target: 'abort' })).status, 202);
    await until(`abort settled on ${base}`, async () => {
      const n = (await call(base, 'GET', `/v1/nodes/${NAME}`)).body;
      return n.provision_state === 'active' && n.reservation === null && n.last_error !== null;
    }, 60_000);
  });
  const [a, i] = await Promise.all([snapshot(w.url), snapshot(IRONIC!)]);
  assert.equal(a, i, 'after abort');
});
