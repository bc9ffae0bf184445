/**
 * `anvil sim --enroll`: each simulated machine as an ipmi + pxe/ipxe + direct + flat node with its port. Re-running
 * is idempotent: a node of the same name is updated to the new BMC address (and its port kept when it has the
 * machine's MAC); a node this run created is deleted again when its port cannot be created, so nothing is left
 * half-enrolled. Errors are one line: the method, the path, Ironic's message and the HTTP status.
 * Also the placeholder deploy kernel/ramdisk the simulated firmware fetches, served over HTTP by the sim itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnvilError } from '@anvil/sdk';
import type { IronicCall } from '../endpoint.ts';

export interface EnrollTarget {
  name: string;
  mac: string;
  bmc: { host: string; port: number; username: string; password: string };
}

type Call = IronicCall;

export async function enrollNode(call: Call, n: EnrollTarget, opts: { kernel: string; ramdisk: string; boot: string; deploy?: string }): Promise<string> {
  const driverInfo = {
    ipmi_address: n.bmc.host,
    ipmi_port: n.bmc.port,
    ipmi_username: n.bmc.username,
    ipmi_password: n.bmc.password,
    ipmi_cipher_suite: 3,
    deploy_kernel: opts.kernel,
    deploy_ramdisk: opts.ramdisk,
  };
  const existing = await call('GET', `/nodes/${encodeURIComponent(n.name)}`).catch((e: AnvilError) => {
    if (e.status === 404) return null;
    throw e;
  });
  let uuid: string;
  let created = false;
  if (existing) {
    uuid = existing.uuid;
    // the same simulated machine again: point the node at this run's BMC
    await call('PATCH', `/nodes/${uuid}`, Object.entries(driverInfo).map(([k, v]) => ({ op: 'add', path: `/driver_info/${k}`, value: v })));
  } else {
    uuid = (await call('POST', '/nodes', { name: n.name, driver: 'ipmi', boot_interface: opts.boot, deploy_interface: opts.deploy ?? 'direct', network_interface: 'flat', driver_info: driverInfo })).uuid;
    created = true;
  }
  try {
    const ports = (await call('GET', `/ports?address=${encodeURIComponent(n.mac)}&fields=uuid,node_uuid`)).ports as { uuid: string; node_uuid: string }[];
    if (ports.length && ports[0].node_uuid !== uuid) throw new AnvilError(`MAC ${n.mac} of ${n.name} is already the port ${ports[0].uuid} of node ${ports[0].node_uuid}`, 'MACAlreadyExists', 409);
    if (!ports.length) await call('POST', '/ports', { node_uuid: uuid, address: n.mac, pxe_enabled: true });
  } catch (err) {
    if (created) await call('DELETE', `/nodes/${uuid}`).catch(() => undefined); // undo: no node without its port
    throw err;
  }
  return uuid;
}

/** A tiny HTTP server with the placeholder deploy kernel and ramdisk (the simulated firmware fetches, never runs them). */
export async function serveDeployImages(): Promise<{ kernel: string; ramdisk: string; close(): Promise<void> }> {
  const files: Record<string, Buffer> = { '/deploy_kernel': Buffer.from('anvil-sim deploy kernel\n'), '/deploy_ramdisk': Buffer.from('anvil-sim deploy ramdisk\n') };
  const server = createServer((req, res) => {
    const body = files[(req.url ?? '').split('?')[0]];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/octet-stream', 'Content-Length': body?.length ?? 0 });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { kernel: `${url}/deploy_kernel`, ramdisk: `${url}/deploy_ramdisk`, close: () => new Promise((r) => server.close(() => r())) };
}
