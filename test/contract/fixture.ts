/**
 * The contract test's world: the real API wired to a real conductor (in-process transport, fake-hardware) on one
 * engine's database, and the objects every row needs (nodes, ports, an allocation, a deploy template, volume
 * connector and target, node history, inventory, a BIOS setting).
 */
import assert from 'node:assert/strict';
import { startApi, type RunningApi } from '@anvil/api';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import type { TestEngine } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';

export interface World {
  url: string;
  c: TestConductor;
  call(method: string, path: string, body?: unknown, version?: string | null): Promise<Reply>;
  ok(method: string, path: string, body?: unknown): Promise<any>;
  /** Waits until no task holds the node (after 202 actions). */
  settle(node: string): Promise<void>;
  /** Waits until the allocation left `allocating` (the node is picked after the 201, as in Ironic); returns it. */
  allocated(uuid: string): Promise<any>;
  f: Fixture;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
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
/** A fresh unique suffix for objects created by single rows. */
export const fresh = () => `${process.pid}${Date.now() % 100000}${++seq}`;

export async function startWorld(engine: TestEngine, maxMinor?: number): Promise<World> {
  const t = await engine.open();
  const c = await startTestConductor(t.db);
  const registry = await createRegistry(c.settings, { warn: () => {} });
  const api: RunningApi = await startApi({ settings: { ...c.settings, port: 0 }, db: t.db, registry, conductor: c.rpcapi, maxMinor });
  const call: World['call'] = async (method, path, body, version = 'latest') => {
    const headers: Record<string, string> = {};
    if (version) headers['X-OpenStack-Ironic-API-Version'] = version;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(api.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const parsed = text ? JSON.parse(text) : null;
    let error: string | null = null;
    let kind: Reply['kind'] = null;
    if (parsed && typeof parsed.error_message === 'string') {
      const inner = JSON.parse(parsed.error_message);
      kind = 'faultstring' in inner ? 'fault' : 'framework';
      error = inner.faultstring ?? inner.description ?? null;
    }
    return { status: r.status, body: parsed, error, kind };
  };
  const ok: World['ok'] = async (method, path, body) => {
    const r = await call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const settle = async (node: string) => {
    const n = await ok('GET', `/v1/nodes/${node}?fields=uuid`);
    await c.waitFor(n.uuid, (x) => x.reservation === null);
  };

  const allocated = async (uuid: string) => {
    for (let i = 0; i < 500; i++) {
      const a = await ok('GET', `/v1/allocations/${uuid}`);
      if (a.state !== 'allocating') return a;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`allocation ${uuid} stayed allocating`);
  };
  const mk = async (name: string, values: Record<string, unknown>) => {
    const n = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name, resource_class: 'ct', console_interface: 'fake', raid_interface: 'fake' });
    await t.db.nodes.update(n.uuid, { provision_state: 'available', power_state: 'power off', ...values });
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
  const mainRec = await t.db.nodes.getByUuid(main);
  const hist = await t.db.history.record(mainRec.id, { event: 'contract fixture event', severity: 'INFO', event_type: 'provisioning' });
  await t.db.inventory.set(mainRec.id, { cpu: { count: 2 } }, { plugin: true });
  await t.db.bios.upsert(mainRec.id, [{ name: 'hyperthreading', value: 'Enabled', attribute_type: 'Enumeration', allowable_values: ['Enabled', 'Disabled'] } as never]);
  return {
    url: api.url,
    c,
    call,
    ok,
    settle,
    allocated,
    f: { main, alloc, boot, enroll, port, allocation: allocation.uuid, template: template.uuid, connector: connector.uuid, target: target.uuid, history: hist.uuid },
    async close() {
      await api.close();
      await c.stop();
      await t.cleanup();
    },
  };
}
