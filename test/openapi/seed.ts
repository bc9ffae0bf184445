/** Objects for the fuzzer to aim at (over the API, as a user would): a chassis, a fake-hardware node with a port,
 * a portgroup, volume connector and target, a trait, a deploy template and an allocation. Returns their UUIDs. */
const V = { 'X-OpenStack-Ironic-API-Version': 'latest', 'Content-Type': 'application/json' };

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${url}/v1${path}`, { method, headers: V, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`seed ${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function seedFuzzTargets(url: string): Promise<Record<string, string>> {
  const chassis = await call(url, 'POST', '/chassis', { description: 'fuzz rack' });
  const node = await call(url, 'POST', '/nodes', { driver: 'fake-hardware', name: 'fuzz-0', chassis_uuid: chassis.uuid, resource_class: 'fuzz' });
  const mac = '52:54:00:12:34:56';
  const pg = await call(url, 'POST', '/portgroups', { node_uuid: node.uuid, address: '52:54:00:12:34:57', name: 'fuzz-pg' });
  const port = await call(url, 'POST', '/ports', { node_uuid: node.uuid, address: mac, portgroup_uuid: pg.uuid });
  const connector = await call(url, 'POST', '/volume/connectors', { node_uuid: node.uuid, type: 'iqn', connector_id: 'iqn.2026-12.org.anvil:fuzz' });
  const target = await call(url, 'POST', '/volume/targets', { node_uuid: node.uuid, volume_type: 'iscsi', volume_id: 'v-1', boot_index: 0 });
  await call(url, 'PUT', `/nodes/${node.uuid}/traits/CUSTOM_FUZZ`);
  const template = await call(url, 'POST', '/deploy_templates', {
    name: 'CUSTOM_FUZZ_TEMPLATE',
    steps: [{ interface: 'deploy', step: 'noop', args: {}, priority: 10 }],
  });
  const allocation = await call(url, 'POST', '/allocations', { resource_class: 'none-such', name: 'fuzz-alloc' });
  const conductors = await call(url, 'GET', '/conductors');
  return {
    chassis: chassis.uuid, node: node.uuid, port: port.uuid, portgroup: pg.uuid, connector: connector.uuid,
    target: target.uuid, template: template.uuid, allocation: allocation.uuid, conductor: conductors.conductors[0].hostname, mac,
  };
}
