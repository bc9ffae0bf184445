/**
 * Cleaning through the agent against the REAL Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): on each
 * server a fake-hardware node with the `direct` deploy interface is cleaned, and a protocol-faithful simulated agent
 * (tools/agent-sim, one per ramdisk boot) looks it up in `clean wait`, lists its clean steps and runs them. Both
 * servers must end in the same states with the same last_error, maintenance, fault, clean_step and record the same
 * cleaning history: a manual cleaning whose `hold` step Ironic 39 drops when the ramdisk's first heartbeat sets the
 * steps (→ manageable, only the "completed" entry: no "Starting" entry after a ramdisk wait), a manual cleaning with
 * a step neither the driver nor the agent has (→ clean failed at that first heartbeat), a step the agent fails (its
 * disk is gone: → clean failed with maintenance, "Clean step deploy.erase_devices_metadata failed on node …", no
 * "aborted at step" entry), and an automated cleaning (provide → the agent's erase steps → available).
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
const MAC = `52:54:01:${run.slice(0, 2)}:${run.slice(2, 4)}:${run.slice(4, 6)}`;
const NAME = `ca-${run}`;
let w: World;
const dir = mkdtempSync(join(tmpdir(), 'anvil-clean-agent-'));
const agents: SimAgent[] = [];
const running = new Map<string, SimAgent>();
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;

before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(async () => {
  for (const a of agents) await a.stop();
  await w?.close();
  rmSync(dir, { recursive: true, force: true });
});


async function rests(base: string, state: string): Promise<void> {
  let seen = '';
  await until(`${NAME} in ${state} on ${base}`, async () => {
    const n = (await call(base, 'GET', `/v1/nodes/${NAME}?fields=provision_state,reservation,last_error`)).body;
    seen = `${n.provision_state} (${n.last_error})`;
    return n.provision_state === state && n.reservation === null;
  }, 60_000, async () => seen);
}

/** A fresh ramdisk: a simulated agent looking the node up on this server. */
async function bootAgent(base: string, diskGone = false): Promise<void> {
  const path = join(dir, `${agents.length}.img`);
  const disk = new FileDisk(path, 4 * 1024 * 1024);
  // the machine's disk is gone: erasing it fails in the agent
  if (diskGone) rmSync(path);
  const agent = new SimAgent({ apiUrl: base, macs: [MAC], disk, powerOff: async () => undefined, heartbeatMs: 500, forcedGapMs: 0 });
  running.set(base, agent);
  agents.push(agent);
  await agent.start();
}

const FIELDS = ['provision_state', 'target_provision_state', 'last_error', 'maintenance', 'maintenance_reason', 'fault', 'clean_step'];

/** The node's state fields and its cleaning history entries (detail fields of 1.78+), normalised. */
async function snapshot(base: string): Promise<string> {
  const n = (await call(base, 'GET', `/v1/nodes/${NAME}`)).body;
  const h = (await call(base, 'GET', `/v1/nodes/${NAME}/history?detail=True`)).body.history as Record<string, unknown>[];
  const history = h
    .filter((e) => /clean/.test(String(e.event_type)))
    .map(({ event, event_type, severity, state, target_provision_state, user, project }) => ({ event, event_type, severity, state, target_provision_state, user, project }));
  const text = JSON.stringify({ node: Object.fromEntries(FIELDS.map((k) => [k, n[k]])), history }).replace(new RegExp(`${dir}/\\d+\\.img`, 'g'), 'DISK');
  return normalise(base, text, []);
}

async function both(fn: (base: string) => Promise<void>): Promise<void> {
  await Promise.all([fn(w.url), fn(IRONIC!)]);
}

async function verb(base: string, target: string, body: Record<string, unknown> = {}): Promise<void> {
  const r = await call(base, 'PUT', `/v1/nodes/${NAME}/states/provision`, { target, ...body });
  assert.equal(r.status, 202, `${target} on ${base}: ${JSON.stringify(r.body)}`);
}

test('cleaning through the agent (hold dropped at the first heartbeat): the same states and history as Ironic 39', async () => {
  await both(async (base) => {
    const made = await call(base, 'POST', '/v1/nodes', { driver: 'fake-hardware', name: NAME, deploy_interface: 'direct', automated_clean: false, storage_interface: 'noop' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await call(base, 'POST', '/v1/ports', { node_uuid: made.body.uuid, address: MAC })).status, 201);
    await verb(base, 'manage');
    await rests(base, 'manageable');
  });
  const erase = { interface: 'deploy', step: 'erase_devices_metadata' };
  const cases: [steps: Record<string, unknown>[], end: string, diskGone?: boolean][] = [
    [[erase, { interface: 'deploy', step: 'hold' }], 'manageable'],
    [[{ interface: 'deploy', step: 'hold' }, { interface: 'deploy', step: 'no_such_step' }], 'clean failed'],
    // a step the agent fails: Ironic's agent_base step failure handler (maintenance, fault, no "aborted at" entry)
    [[erase], 'clean failed', true],
  ];
  for (const [steps, end, diskGone] of cases) {
    await both(async (base) => {
      if ((await call(base, 'GET', `/v1/nodes/${NAME}`)).body.maintenance) assert.equal((await call(base, 'DELETE', `/v1/nodes/${NAME}/maintenance`)).status, 202);
      if (end === 'clean failed' && diskGone) {
        await verb(base, 'manage');
        await rests(base, 'manageable');
      }
      await verb(base, 'clean', { clean_steps: steps });
      await rests(base, 'clean wait');
      await bootAgent(base, diskGone);
      await rests(base, end);
      // the ramdisk is gone with the cleaning (a lingering one would look the node up in the next cleaning)
      await running.get(base)?.stop();
    });
    const [a, i] = await Promise.all([snapshot(w.url), snapshot(IRONIC!)]);
    assert.equal(a, i, `after ${JSON.stringify(steps)}`);
  }
  await both(async (base) => {
    assert.equal((await call(base, 'DELETE', `/v1/nodes/${NAME}/maintenance`)).status, 202);
    await verb(base, 'manage');
    await rests(base, 'manageable');
    assert.equal((await call(base, 'PATCH', `/v1/nodes/${NAME}`, [{ op: 'replace', path: '/automated_clean', value: true }])).status, 200);
    await verb(base, 'provide');
    await rests(base, 'clean wait');
    await bootAgent(base);
    await rests(base, 'available');
  });
  const [a, i] = await Promise.all([snapshot(w.url), snapshot(IRONIC!)]);
  assert.equal(a, i, 'after automated cleaning');
});
