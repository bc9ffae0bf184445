/**
 * The scripted lifecycle of the differential replay: enroll → traits → portgroup and ports → manage → provide →
 * deploy template → allocation → VIF → instance_info → validate → deploy with a config drive → rescue → unrescue →
 * power off/on → undeploy → VIF detach → allocation delete → history → template and port clean-up → node delete.
 * `state` holds this server's ids (saved from answers).
 */
export interface LifecycleStep {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (s: Record<string, string>) => string;
  body?: (s: Record<string, string>) => unknown;
  version?: string;
  /** remember ids from the answer */
  save?: (body: any, s: Record<string, string>) => void;
  /** node whose task must finish before the next step */
  settle?: (s: Record<string, string>) => string;
  /** the answer is a new allocation: wait until it leaves `allocating` */
  allocation?: boolean;
}

const N = '/v1/nodes/lc-node';
const VIF = '1b4f7a0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
const node = () => 'lc-node';
const get = (name: string, path: string): LifecycleStep => ({ name, method: 'GET', path: () => path });
const provision = (target: string, body: Record<string, unknown> = {}): LifecycleStep => ({
  name: `provision ${target}`,
  method: 'PUT',
  path: () => `${N}/states/provision`,
  body: () => ({ target, ...body }),
  settle: node,
});

export const LIFECYCLE: LifecycleStep[] = [
  {
    name: 'enroll',
    method: 'POST',
    path: () => '/v1/nodes',
    body: () => ({ name: 'lc-node', driver: 'fake-hardware', resource_class: 'lc', properties: { cpus: 2, memory_mb: 2048, local_gb: 20, cpu_arch: 'x86_64' } }),
    save: (b, s) => void (s.node = b?.uuid),
  },
  get('show enrolled node', N),
  { name: 'set traits', method: 'PUT', path: () => `${N}/traits`, body: () => ({ traits: ['CUSTOM_LC', 'CUSTOM_GOLD'] }) },
  get('list traits', `${N}/traits`),
  { name: 'add trait', method: 'PUT', path: () => `${N}/traits/CUSTOM_EXTRA` },
  { name: 'remove trait', method: 'DELETE', path: () => `${N}/traits/CUSTOM_EXTRA` },
  {
    name: 'create portgroup',
    method: 'POST',
    path: () => '/v1/portgroups',
    body: (s) => ({ node_uuid: s.node, name: 'lc-pg', address: '52:54:00:1c:00:10', mode: 'active-backup', properties: { miimon: '100' } }),
    save: (b, s) => void (s.pg = b?.uuid),
  },
  {
    name: 'create port in portgroup',
    method: 'POST',
    path: () => '/v1/ports',
    body: (s) => ({ node_uuid: s.node, address: '52:54:00:1c:00:01', portgroup_uuid: s.pg, pxe_enabled: true }),
    save: (b, s) => void (s.port1 = b?.uuid),
  },
  { name: 'create port', method: 'POST', path: () => '/v1/ports', body: (s) => ({ node_uuid: s.node, address: '52:54:00:1c:00:02' }), save: (b, s) => void (s.port2 = b?.uuid) },
  get('ports of the node (detail)', `${N}/ports/detail`),
  get('ports of the portgroup', '/v1/portgroups/lc-pg/ports'),
  get('portgroups detail', '/v1/portgroups/detail'),
  { name: 'patch port', method: 'PATCH', path: (s) => `/v1/ports/${s.port2}`, body: () => [{ op: 'add', path: '/extra/switch', value: 'sw-1' }] },
  provision('manage'),
  get('show managed node', N),
  provision('provide'),
  get('show available node', N),
  // an allocation only takes a node whose power state is known (Ironic's with_power_state filter)
  { name: 'power off after provide', method: 'PUT', path: () => `${N}/states/power`, body: () => ({ target: 'power off' }), settle: node },
  {
    name: 'create deploy template',
    method: 'POST',
    path: () => '/v1/deploy_templates',
    body: () => ({ name: 'CUSTOM_DT_LC', steps: [{ interface: 'bios', step: 'apply_configuration', args: { settings: [] }, priority: 150 }] }),
  },
  get('list deploy templates', '/v1/deploy_templates?detail=True'),
  {
    name: 'create allocation',
    method: 'POST',
    path: () => '/v1/allocations',
    body: () => ({ name: 'lc-alloc', resource_class: 'lc', traits: ['CUSTOM_LC'] }),
    allocation: true,
  },
  get('show allocation', '/v1/allocations/lc-alloc'),
  get('node allocation', `${N}/allocation`),
  get('show allocated node', N),
  { name: 'attach vif', method: 'POST', path: () => `${N}/vifs`, body: () => ({ id: VIF }) },
  get('list vifs', `${N}/vifs`),
  {
    name: 'set instance_info',
    method: 'PATCH',
    path: () => N,
    body: () => [
      { op: 'add', path: '/instance_info/image_source', value: 'http://127.0.0.1/lc.img' },
      { op: 'add', path: '/instance_info/root_gb', value: '10' },
    ],
  },
  get('validate', `${N}/validate`),
  provision('active', { configdrive: { meta_data: { uuid: 'lc', hostname: 'lc-host' }, user_data: '#cloud-config\n', network_data: { links: [] } } }),
  get('show deployed node', N),
  get('node states', `${N}/states`),
  provision('rescue', { rescue_password: 'lc-rescue' }),
  get('show rescued node', N),
  provision('unrescue'),
  { name: 'power off', method: 'PUT', path: () => `${N}/states/power`, body: () => ({ target: 'power off' }), settle: node },
  { name: 'power on', method: 'PUT', path: () => `${N}/states/power`, body: () => ({ target: 'power on' }), settle: node },
  { name: 'reboot', method: 'PUT', path: () => `${N}/states/power`, body: () => ({ target: 'rebooting' }), settle: node },
  get('node states after power', `${N}/states`),
  provision('deleted'),
  get('show undeployed node', N),
  { name: 'detach vif', method: 'DELETE', path: () => `${N}/vifs/${VIF}` },
  { name: 'delete allocation', method: 'DELETE', path: () => '/v1/allocations/lc-alloc' },
  get('show released node', N),
  get('node history', `${N}/history`),
  get('node history detail', `${N}/history?detail=True`),
  { name: 'patch deploy template', method: 'PATCH', path: () => '/v1/deploy_templates/CUSTOM_DT_LC', body: () => [{ op: 'replace', path: '/steps/0/priority', value: 90 }] },
  { name: 'delete deploy template', method: 'DELETE', path: () => '/v1/deploy_templates/CUSTOM_DT_LC' },
  { name: 'delete port', method: 'DELETE', path: (s) => `/v1/ports/${s.port1}` },
  { name: 'delete portgroup', method: 'DELETE', path: () => '/v1/portgroups/lc-pg' },
  { name: 'maintenance on', method: 'PUT', path: () => `${N}/maintenance`, body: () => ({ reason: 'lifecycle done' }) },
  get('show node in maintenance', N),
  { name: 'delete node', method: 'DELETE', path: () => N },
  get('deleted node', N),
];
