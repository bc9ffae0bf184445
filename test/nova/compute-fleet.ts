/**
 * Helpers for the compute service tests: enroll many fake-hardware nodes, drive the compute API (/v2.1) with
 * plain HTTP, wait for servers to settle, and check that the compute store holds exactly what the nodes say.
 */
import assert from 'node:assert/strict';
import { api, enrollFakeNode } from './fake-nodes.ts';

export async function compute(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, { method, headers: { 'Content-Type': 'application/json', 'OpenStack-API-Version': 'compute 2.47' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** n available fake-hardware nodes of one resource class, enrolled `parallel` at a time */
export async function enrollFleet(url: string, rc: string, n: number, deploySleep: string, parallel = 8): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, n - i) }, (_, j) => enrollFakeNode(url, { name: `${rc}-${i + j}`, resourceClass: rc, driverInfo: { fake_deploy_sleep: deploySleep } })),
    );
    out.push(...batch.map((b) => b.uuid));
  }
  return out;
}

/** a flavor for that class and an image (URL + checksum), through the compute API */
export async function flavorAndImage(computeUrl: string, rc: string): Promise<{ flavor: string; image: string }> {
  const f = (await compute(computeUrl, 'POST', '/v2.1/flavors', { flavor: { name: `bm-${rc}`, vcpus: 1, ram: 1, disk: 1 } })).flavor;
  const cls = `CUSTOM_${rc.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  await compute(computeUrl, 'POST', `/v2.1/flavors/${f.id}/os-extra_specs`, { extra_specs: { [`resources:${cls}`]: '1', 'resources:VCPU': '0' } });
  const img = await compute(computeUrl, 'POST', '/image/v2/images', { name: `img-${rc}`, url: 'http://127.0.0.1:9/disk.raw', checksum: 'c0ffee', disk_format: 'raw' });
  return { flavor: f.id, image: img.id };
}

export async function createServers(urls: string[], n: number, prefix: string, fi: { flavor: string; image: string }): Promise<{ id: string; ms: number }[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = performance.now();
      const r = await compute(urls[i % urls.length], 'POST', '/v2.1/servers', { server: { name: `${prefix}-${i}`, flavorRef: fi.flavor, imageRef: fi.image, networks: 'none' } });
      return { id: r.server.id as string, ms: performance.now() - t0 };
    }),
  );
}

/** poll until every server is ACTIVE or ERROR with no task; each one's settle time (ms since `since`) */
export async function waitSettled(url: string, ids: string[], since: number, timeoutMs: number, onTick?: (servers: any[]) => Promise<void> | void): Promise<{ servers: any[]; settledAt: Map<string, number> }> {
  const settledAt = new Map<string, number>();
  const want = new Set(ids);
  const end = Date.now() + timeoutMs;
  for (;;) {
    const servers = ((await compute(url, 'GET', '/v2.1/servers/detail')).servers as any[]).filter((s) => want.has(s.id));
    for (const s of servers) if (!settledAt.has(s.id) && ['ACTIVE', 'ERROR'].includes(s.status) && s['OS-EXT-STS:task_state'] === null) settledAt.set(s.id, performance.now() - since);
    await onTick?.(servers);
    if (settledAt.size === ids.length) return { servers, settledAt };
    if (Date.now() > end) {
      const stuck = servers.filter((s) => !settledAt.has(s.id)).map((s) => `${s.name}:${s.status}/${s['OS-EXT-STS:task_state']}@${s['OS-EXT-SRV-ATTR:host']}`);
      throw new Error(`${ids.length - settledAt.size} servers did not settle: ${stuck.join(' ')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The acceptance: `active` ACTIVE on as many distinct nodes, the rest ERROR with a clean No valid host fault
 * carrying a reason for every node, and the store agreeing with the nodes (and Placement with both).
 */
export async function assertConsistent(ironicUrl: string, servers: any[], nodes: string[], active: number, placement?: { consumer: string; provider: string }[]): Promise<void> {
  const up = servers.filter((s) => s.status === 'ACTIVE');
  const failed = servers.filter((s) => s.status === 'ERROR');
  assert.equal(up.length, active, `ACTIVE: ${up.length}, ERROR: ${failed.length}: ${failed.map((s) => s.fault?.message?.split('\n')[0]).join(' | ')}`);
  assert.equal(failed.length, servers.length - active);
  const used = up.map((s) => s['OS-EXT-SRV-ATTR:hypervisor_hostname']);
  assert.equal(new Set(used).size, active, 'distinct nodes');
  for (const s of failed) {
    assert.match(s.fault.message, /^No valid host was found/, s.fault.message);
    const rejected = JSON.parse(s.fault.details) as { node: string; reasons: { code: string }[] }[];
    assert.deepEqual(new Set(rejected.map((r) => r.node)), new Set(nodes), 'a reason for every node');
    for (const r of rejected) assert.ok(r.reasons.length > 0 && r.reasons.every((x) => ['allocated', 'associated', 'not_available'].includes(x.code)), JSON.stringify(r));
  }
  const byNode = new Map(up.map((s) => [s['OS-EXT-SRV-ATTR:hypervisor_hostname'], s]));
  for (const uuid of nodes) {
    const n = await api(ironicUrl, 'GET', `/v1/nodes/${uuid}`);
    const s = byNode.get(uuid);
    if (s) {
      assert.equal(n.instance_uuid, s.id, `node ${uuid} holds the instance the store says`);
      assert.equal(n.provision_state, 'active');
    } else assert.equal(n.instance_uuid, null, `node ${uuid} holds no unknown instance`);
  }
  if (placement) {
    const ids = new Set(servers.map((s) => s.id));
    const mine = placement.filter((a) => ids.has(a.consumer));
    assert.deepEqual(new Map(mine.map((a) => [a.consumer, a.provider])), new Map(up.map((s) => [s.id, s['OS-EXT-SRV-ATTR:hypervisor_hostname']])), 'Placement: one allocation per ACTIVE server, on its node');
  }
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
