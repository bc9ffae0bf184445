/**
 * Enrolls fake-hardware nodes through the public baremetal API (works on real Ironic and on Anvil alike):
 * create with fake interfaces, a port, traits, power off, manage, provide, wait for `available`.
 */
import { randomBytes } from 'node:crypto';
import { until } from '../wait.ts';

export interface FakeNodeSpec {
  name: string;
  resourceClass: string;
  traits?: string[];
  capabilities?: string;
  cpuArch?: string;
  /** extra driver_info, e.g. {fake_deploy_sleep: "0.5-2"} for slow fake hardware */
  driverInfo?: Record<string, string>;
  conductorGroup?: string;
  /** Ironic ports (NICs) to create, default 1 */
  ports?: number;
  /** stop in `manageable` instead of `available` */
  manageable?: boolean;
  /** credentials for an API under http_basic or keystone (Authorization or X-Auth-Token) */
  auth?: Record<string, string>;
}

const H = { 'X-OpenStack-Ironic-API-Version': '1.46', 'Content-Type': 'application/json', Accept: 'application/json' };

export async function api(url: string, method: string, path: string, body?: unknown, auth: Record<string, string> = {}): Promise<any> {
  const res = await fetch(url + path, { method, headers: { ...H, ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function waitNode(url: string, uuid: string, pred: (n: any) => boolean, what: string, timeoutMs = 30_000, auth: Record<string, string> = {}): Promise<any> {
  let last: any;
  return until(
    `node ${uuid} to reach ${what}`,
    async () => ((last = await api(url, 'GET', `/v1/nodes/${uuid}`, undefined, auth)), pred(last) && last),
    timeoutMs,
    () => `${last?.provision_state}/${last?.power_state}`,
    100,
  );
}

const randomMac = () => `52:54:00:${randomBytes(3).toString('hex').match(/../g)!.join(':')}`;

export async function enrollFakeNode(url: string, s: FakeNodeSpec): Promise<{ uuid: string; mac: string; macs: string[] }> {
  const a = s.auth ?? {};
  const node = await api(url, 'POST', '/v1/nodes', {
    name: s.name,
    driver: 'fake-hardware',
    resource_class: s.resourceClass,
    ...(s.driverInfo ? { driver_info: s.driverInfo } : {}),
    ...(s.conductorGroup ? { conductor_group: s.conductorGroup } : {}),
    deploy_interface: 'fake',
    boot_interface: 'fake',
    power_interface: 'fake',
    management_interface: 'fake',
    rescue_interface: 'fake',
    properties: { cpus: 8, memory_mb: 16384, local_gb: 100, cpu_arch: s.cpuArch ?? 'x86_64', capabilities: s.capabilities ?? 'boot_mode:uefi' },
  }, a);
  const macs = Array.from({ length: s.ports ?? 1 }, randomMac);
  for (const address of macs) await api(url, 'POST', '/v1/ports', { node_uuid: node.uuid, address }, a);
  for (const t of s.traits ?? []) await api(url, 'PUT', `/v1/nodes/${node.uuid}/traits/${t}`, undefined, a);
  await api(url, 'PUT', `/v1/nodes/${node.uuid}/states/power`, { target: 'power off' }, a);
  await waitNode(url, node.uuid, (n) => n.power_state === 'power off' && !n.target_power_state, 'power off', 30_000, a);
  await api(url, 'PUT', `/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' }, a);
  await waitNode(url, node.uuid, (n) => n.provision_state === 'manageable', 'manageable', 30_000, a);
  if (!s.manageable) {
    await api(url, 'PUT', `/v1/nodes/${node.uuid}/states/provision`, { target: 'provide' }, a);
    await waitNode(url, node.uuid, (n) => n.provision_state === 'available', 'available', 30_000, a);
  }
  return { uuid: node.uuid, mac: macs[0], macs };
}
