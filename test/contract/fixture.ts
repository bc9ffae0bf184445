/**
 * The contract test's world: the objects every row needs (nodes, ports, an allocation, a deploy template, volume
 * connector and target, node history, inventory, a BIOS setting), built through the API of one server plus a
 * small backdoor into its database for states no API call reaches (a node put back to enroll, a history entry).
 * `startWorld` runs the real API and a real conductor (in-process transport, fake-hardware) on one engine;
 * `buildWorld` builds the same world on any server given its URL and backdoor (the differential replay builds it on
 * real Ironic too, test/differential/).
 */
import assert from 'node:assert/strict';
import { startApi, type RunningApi } from '@anvil/api';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import type { TestEngine } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';
import type { Settings } from '@anvil/sdk';
import { sleep } from '../wait.ts';

/** What a row may use: requests, waits, the fixture, and the backdoor. */
export interface RowWorld {
  url: string;
  call(method: string, path: string, body?: unknown, version?: string | null): Promise<Reply>;
  ok(method: string, path: string, body?: unknown): Promise<any>;
  /** Waits until no task holds the node (after 202 actions). */
  settle(node: string): Promise<void>;
  /** Waits until the allocation left `allocating` (the node is picked after the 201, as in Ironic); returns it. */
  allocated(uuid: string): Promise<any>;
  /** A fresh unique suffix for objects created by single rows (deterministic per world). */
  fresh(): string;
  db: Backdoor;
  f: Fixture;
}

export interface World extends RowWorld {
  c: TestConductor;
  close(): Promise<void>;
}

/** Database writes the API cannot make; columns are Ironic's (nodes.provision_state, .power_state, ...). */
export interface Backdoor {
  setNode(uuid: string, values: Record<string, string | boolean | null>): Promise<void>;
  /** Holds the node's lock as conductor `host` (a task that never ends). */
  reserve(uuid: string, host: string): Promise<void>;
  /** Adds a history entry; returns its uuid. */
  addHistory(uuid: string, event: string): Promise<string>;
  setInventory(uuid: string, inventory: unknown, pluginData: unknown): Promise<void>;
  addBiosSetting(uuid: string, s: { name: string; value: string; attribute_type: string; allowable_values: string[] }): Promise<void>;
}

export interface Reply {
  status: number;
  headers?: Headers;
  body: any;
  /** faultstring or framework description of an error reply. */
  error: string | null;
  /** 'fault' (business error), 'framework' ({code,title,description}) or null. */
  kind: 'fault' | 'framework' | null;
}

export interface Fixture {
  main: string;
  alloc: string;
  boot: string;
  /** A node left in enroll (verbs at their boundary answer 400 InvalidStateRequested, not 406). */
  enroll: string;
  port: string;
  allocation: string;
  template: string;
  connector: string;
  target: string;
  history: string;
}

let seq = 0;
/** A fresh unique suffix (module-wide) for objects created outside a row world (cases-115, nodes-115). */
export const fresh = () => `${process.pid}${Date.now() % 100000}${++seq}`;

/** One JSON request with an optional microversion; error bodies unpacked. */
export async function callApi(base: string, method: string, path: string, body?: unknown, version: string | null = 'latest'): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (version) headers['X-OpenStack-Ironic-API-Version'] = version;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // a string is sent as it is (malformed JSON cases)
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(base + path, { method, headers, body: payload });
  const text = await r.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  let error: string | null = null;
  let kind: Reply['kind'] = null;
  if (parsed && typeof parsed.error_message === 'string') {
    const inner = JSON.parse(parsed.error_message);
    kind = 'faultstring' in inner ? 'fault' : 'framework';
    error = inner.faultstring ?? inner.description ?? null;
  }
  return { status: r.status, headers: r.headers, body: parsed, error, kind };
}

/** Builds the fixture on the server at `url` (`seed` makes row names unique across worlds on one database). */
export async function buildWorld(url: string, db: Backdoor, seed = ''): Promise<RowWorld> {
  let seq = 0;
  const call: RowWorld['call'] = (method, path, body, version = 'latest') => callApi(url, method, path, body, version);
  const ok: RowWorld['ok'] = async (method, path, body) => {
    const r = await call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const settle = async (node: string) => {
    for (let i = 0; i < 1000; i++) {
      const n = await ok('GET', `/v1/nodes/${node}?fields=reservation,target_provision_state,target_power_state`);
      if (n.reservation === null && !n.target_provision_state && !n.target_power_state) return;
      await sleep(20);
    }
    throw new Error(`node ${node} stayed locked`);
  };
  const allocated = async (uuid: string) => {
    for (let i = 0; i < 1000; i++) {
      const a = await ok('GET', `/v1/allocations/${uuid}`);
      if (a.state !== 'allocating') return a;
      await sleep(20);
    }
    throw new Error(`allocation ${uuid} stayed allocating`);
  };
  const mk = async (name: string, values: Record<string, string>) => {
    const n = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name, resource_class: 'ct', console_interface: 'fake', raid_interface: 'fake' });
    await db.setNode(n.uuid, { provision_state: 'available', power_state: 'power off', ...values });
    return n.uuid as string;
  };
  const main = await mk('ct-main', { provision_state: 'manageable' });
  const alloc = await mk('ct-alloc', {});
  const boot = await mk('ct-boot', { provision_state: 'manageable' });
  const enroll = (await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'ct-enroll' })).uuid as string;
  const port = (await ok('POST', '/v1/ports', { node_uuid: main, address: '52:54:00:c0:00:01' })).uuid;
  await ok('POST', '/v1/ports', { node_uuid: main, address: '52:54:00:c0:00:02' });
  const created = await ok('POST', '/v1/allocations', { resource_class: 'ct', candidate_nodes: ['ct-alloc'], name: 'ct-allocation' });
  assert.equal(created.state, 'allocating');
  const allocation = await allocated(created.uuid);
  assert.equal(allocation.state, 'active', JSON.stringify(allocation));
  const template = await ok('POST', '/v1/deploy_templates', {
    name: 'CUSTOM_CT',
    steps: [{ interface: 'bios', step: 'apply_configuration', args: { settings: [] }, priority: 10 }],
  });
  const connector = await ok('POST', '/v1/volume/connectors', { node_uuid: main, type: 'iqn', connector_id: 'iqn.2026-11.org.anvil:ct' });
  const target = await ok('POST', '/v1/volume/targets', { node_uuid: main, volume_type: 'iscsi', volume_id: 'vol-ct', boot_index: 0 });
  const history = await db.addHistory(main, 'contract fixture event');
  await db.setInventory(main, { cpu: { count: 2 } }, { plugin: true });
  await db.addBiosSetting(main, { name: 'hyperthreading', value: 'Enabled', attribute_type: 'Enumeration', allowable_values: ['Enabled', 'Disabled'] });
  return {
    url,
    call,
    ok,
    settle,
    allocated,
    fresh: () => `${seed}${++seq}`,
    db,
    f: { main, alloc, boot, enroll, port, allocation: allocation.uuid, template: template.uuid, connector: connector.uuid, target: target.uuid, history },
  };
}

/** The real API + conductor on one engine, with the fixture. */
export async function startWorld(engine: TestEngine, maxMinor?: number, overrides: Partial<Settings> = {}): Promise<World> {
  const t = await engine.open();
  const c = await startTestConductor(t.db, overrides);
  const registry = await createRegistry(c.settings, { warn: () => {} });
  const api: RunningApi = await startApi({ settings: { ...c.settings, port: 0 }, db: t.db, registry, conductor: c.rpcapi, maxMinor });
  const w = await buildWorld(api.url, anvilBackdoor(t.db), `${process.pid}${Date.now() % 100000}`);
  return {
    ...w,
    c,
    async close() {
      await api.close();
      await c.stop();
      await t.cleanup();
    },
  };
}

/** The backdoor through Anvil's own repositories. */
export function anvilBackdoor(db: TestConductor['db']): Backdoor {
  const id = async (uuid: string) => (await db.nodes.getByUuid(uuid)).id;
  return {
    setNode: async (uuid, values) => void (await db.nodes.update(uuid, values as never)),
    reserve: async (uuid, host) => void (await db.nodes.reserve(uuid, host)),
    addHistory: async (uuid, event) => (await db.history.record(await id(uuid), { event, severity: 'INFO', event_type: 'provisioning' })).uuid,
    setInventory: async (uuid, inventory, pluginData) => void await db.inventory.set(await id(uuid), inventory as never, pluginData as never),
    addBiosSetting: async (uuid, s) => void await db.bios.upsert(await id(uuid), [s as never]),
  };
}
