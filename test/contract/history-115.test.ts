/**
 * Node history against the REAL Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): the same failures are
 * driven on fake-hardware nodes on both servers — a deploy aborted in `wait call-back` (1.110, direct deploy with
 * fake boot: no agent ever comes), a manual cleaning aborted in `clean wait`, an in-band inspection aborted in
 * `inspect wait`, a deploy refused by its image, a service step that fails — and each node's whole history
 * (`?detail=True` at 1.115, and at 1.78 with that version's fields) must be equal entry by entry: event, event_type,
 * severity, user, project, state fields; the `conductor` is each server's own host name (Anvil's conductor hostname,
 * Ironic's `host`). Cleaning's step-flow entries (automated, manual, hold dropped, args masked, a raising step, steps
 * the driver lacks), hold deploy and service steps, and each node's final state fields are compared too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { startWorld, type World } from './fixture.ts';
import { call, normalise } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const run = randomUUID().slice(0, 8);
const V = '1.115';
let w: World;
let images: Server;
let imageUrl = '';
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;

before(async () => {
  images = createServer((req, res) => res.writeHead(req.url === '/disk.raw' ? 200 : 404, { 'Content-Length': 0 }).end());
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()));
  imageUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
  // as Ironic 39's test config: [inspector]require_managed_boot = false
  if (IRONIC) w = await startWorld(sqlite, 115, { inspector_require_managed_boot: false });
});
after(async () => {
  await w?.close();
  images?.closeAllConnections();
  await new Promise((r) => images?.close(r));
});


const STABLE = /^(enroll|manageable|available|active|deploy failed|clean failed|inspect failed|service failed|wait call-back|clean wait|inspect wait|service wait|clean hold|service hold|deploy hold)$/;

/** Wait until the node rests in `state` with no lock. */
async function rests(base: string, node: string, state: string): Promise<void> {
  let seen = '';
  await until(`${node} in ${state} on ${base}`, async () => {
    const n = (await call(base, 'GET', `/v1/nodes/${node}?fields=provision_state,reservation,last_error`)).body;
    seen = `${n.provision_state} (${n.last_error})`;
    return n.provision_state === state && n.reservation === null && STABLE.test(state);
  }, 60_000, async () => seen);
}

const STATE_FIELDS = 'provision_state,target_provision_state,last_error,maintenance,maintenance_reason,fault,clean_step,service_step,driver_internal_info';
const STEP_KEYS = ['clean_steps', 'clean_step_index', 'cleaning_disable_ramdisk', 'declarative_cleaning', 'service_steps', 'service_step_index'];

type Act = { verb: string; body?: unknown; until: string } | { port: string };

/** The same node and actions on one server; returns the history entries with what may differ normalised. */
async function drive(base: string, host: string, name: string, create: Record<string, unknown>, acts: Act[]): Promise<string[]> {
  const made = await call(base, 'POST', '/v1/nodes', { driver: 'fake-hardware', name, storage_interface: 'noop', ...create });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  for (const a of acts) {
    if ('port' in a) {
      const r = await call(base, 'POST', '/v1/ports', { node_uuid: made.body.uuid, address: a.port, pxe_enabled: true });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      continue;
    }
    const r = await call(base, 'PUT', `/v1/nodes/${name}/states/provision`, { target: a.verb, ...(a.body ?? {}) });
    assert.equal(r.status, 202, `${a.verb} on ${base}: ${JSON.stringify(r.body)}`);
    await rests(base, name, a.until);
  }
  const h = (await call(base, 'GET', `/v1/nodes/${name}/history?detail=True`)).body.history as Record<string, unknown>[];
  // where the flow left the node: its state fields and the step bookkeeping it kept
  const n = (await call(base, 'GET', `/v1/nodes/${name}?fields=${STATE_FIELDS}`)).body;
  const info = n.driver_internal_info as Record<string, unknown>;
  const kept = { ...n, links: undefined, driver_internal_info: Object.fromEntries(STEP_KEYS.filter((k) => k in info).map((k) => [k, info[k]])) };
  const state = `state ${normalise(base, JSON.stringify(kept), [])}`;
  // at 1.78 (history's first version) the detail entries have the fields of that version only
  const h78 = (await call(base, 'GET', `/v1/nodes/${name}/history?detail=True`, undefined, '1.78')).body.history as Record<string, unknown>[];
  const at78 = `1.78 ${normalise(base, JSON.stringify(h78.map(({ uuid: _u, created_at: _c, links: _l, conductor: _h, ...rest }) => rest)), [])}`;
  return [state, at78, ...h.map((e) => {
    assert.equal(e.conductor, host, `conductor of ${JSON.stringify(e)}`);
    const { uuid: _u, created_at: _c, links: _l, conductor: _h, duration_seconds: d, ...rest } = e;
    // a duration in seconds depends on each server's speed: only whether there is one is compared
    return normalise(base, JSON.stringify({ ...rest, duration_seconds: typeof d === 'number' ? 'n' : d }), []);
  })];
}

async function compare(name: string, create: Record<string, unknown>, acts: Act[]): Promise<void> {
  const conductors = async (base: string) => (await call(base, 'GET', '/v1/conductors')).body.conductors.map((c: { hostname: string }) => c.hostname)[0];
  const [hostA, hostI] = await Promise.all([conductors(w.url), conductors(IRONIC!)]);
  const [a, i] = await Promise.all([drive(w.url, hostA, `${name}-${run}`, create, acts), drive(IRONIC!, hostI, `${name}-${run}`, create, acts)]);
  const names = (s: string) => s.split(`${name}-${run}`).join('NODE');
  assert.deepEqual(a.map(names), i.map(names));
}

const direct = () => ({ deploy_interface: 'direct', automated_clean: false, instance_info: { image_source: `${imageUrl}/disk.raw`, image_checksum: 'a'.repeat(32) } });
const toAvailable: Act[] = [{ verb: 'manage', until: 'manageable' }, { verb: 'provide', until: 'available' }];

test('a deploy aborted in wait call-back (1.110): the same history as Ironic 39', async () => {
  await compare('hd', direct(), [...toAvailable, { verb: 'active', until: 'wait call-back' }, { verb: 'abort', until: 'deploy failed' }]);
});

test('a manual cleaning aborted in clean wait: the same history as Ironic 39', async () => {
  await compare('hc', { deploy_interface: 'direct' }, [
    { verb: 'manage', until: 'manageable' },
    { verb: 'clean', body: { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] }, until: 'clean wait' },
    { verb: 'abort', until: 'clean failed' },
  ]);
});

test('an in-band inspection aborted in inspect wait: the same history as Ironic 39', async () => {
  const mac = `52:54:00:${run.slice(0, 2)}:${run.slice(2, 4)}:${run.slice(4, 6)}`;
  await compare('hi', { inspect_interface: 'agent', driver_info: { ipmi_address: '192.0.2.98' } }, [{ port: mac }, { verb: 'manage', until: 'manageable' }, { verb: 'inspect', until: 'inspect wait' }, { verb: 'abort', until: 'inspect failed' }]);
});

test('a failing service step: the same history as Ironic 39', async () => {
  await compare('hs', { automated_clean: false }, [
    ...toAvailable,
    { verb: 'active', until: 'active' },
    { verb: 'service', body: { service_steps: [{ interface: 'vendor', step: 'nope' }] }, until: 'service failed' },
  ]);
});

// cleaning's step-flow entries (Ironic 39's log_step_flow_history): automated and manual, a flow step (`hold`) that
// validation drops, args masked, a step that raises, steps the driver does not have
test('automated cleaning (fake vendor log_passthrough at priority 1): the same history as Ironic 39', async () => {
  await compare('ha', { automated_clean: true }, toAvailable);
});

test('a manual cleaning (hold dropped, a password masked): the same history as Ironic 39', async () => {
  const settings = [{ name: 'a', value: 'b', password: 'pw' }];
  await compare('hm', {}, [
    { verb: 'manage', until: 'manageable' },
    { verb: 'clean', body: { clean_steps: [{ interface: 'bios', step: 'factory_reset' }, { interface: 'deploy', step: 'hold' }, { interface: 'firmware', step: 'update', args: { settings } }] }, until: 'manageable' },
  ]);
});

test('a manual cleaning whose step raises: the same history and clean failed as Ironic 39', async () => {
  await compare('hf', {}, [
    { verb: 'manage', until: 'manageable' },
    { verb: 'clean', body: { clean_steps: [{ interface: 'bios', step: 'factory_reset' }, { interface: 'bios', step: 'apply_configuration', args: { settings: 5 } }, { interface: 'deploy', step: 'hold' }] }, until: 'clean failed' },
  ]);
});

test('a manual cleaning with a step the driver lacks (and hold): refused by the worker as Ironic 39', async () => {
  await compare('hu', {}, [
    { verb: 'manage', until: 'manageable' },
    { verb: 'clean', body: { clean_steps: [{ interface: 'deploy', step: 'hold' }, { interface: 'deploy', step: 'nope' }, { interface: 'bios', step: 'factory_reset', args: { x: 1 } }] }, until: 'clean failed' },
  ]);
});

test('servicing with a hold step that validation drops: the same history as Ironic 39', async () => {
  await compare('hh', { automated_clean: false }, [
    ...toAvailable,
    { verb: 'active', until: 'active' },
    { verb: 'service', body: { service_steps: [{ interface: 'vendor', step: 'log_passthrough' }, { interface: 'power', step: 'hold' }] }, until: 'active' },
  ]);
});

test('a deploy with a hold deploy step (1.69 deploy_steps; validation drops it): the same history as Ironic 39', async () => {
  await compare('hp', { automated_clean: false }, [
    ...toAvailable,
    { verb: 'active', body: { deploy_steps: [{ interface: 'deploy', step: 'hold', priority: 50, args: {} }] }, until: 'active' },
  ]);
});
