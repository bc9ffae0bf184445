/**
 * A virtual rack: the lab network (netns.ts), dnsmasq on its bridge, an HTTP server for the agent ramdisk and the
 * instance image, Anvil listening on the host end of the bridge, and N VMs each with an ipmi_sim BMC, enrolled as
 * `ipmi` nodes (ipxe boot, direct deploy, flat network, agent rescue) with one pxe-enabled port per NIC.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StaticHttpServer } from '@anvil/plugin-pxe';
import { type Dnsmasq, startDnsmasq } from './dnsmasq.ts';
import { createNet, destroyNet, type LabNet } from './netns.ts';
import { createVm, type Vm } from './vm.ts';

export interface AnvilHandle {
  url: string;
  /** a JSON request against /v1 (`version`: the microversion header, when not the handle's default) */
  api(method: string, path: string, body?: unknown, version?: string): Promise<{ status: number; body: any }>;
  output(): string;
  stop(): Promise<void>;
}

export interface LabOptions {
  dir: string; // everything the lab writes (removed by stop)
  count: number;
  /** NICs per VM (default 1; only the first is enrolled as a port) */
  nics?: number;
  bootMode: 'bios' | 'uefi';
  accel: 'tcg' | 'kvm';
  /** the directory served over HTTP, and its sub-directory with the agent's vmlinuz and initramfs */
  imagesDir: string;
  agent: string;
  /** starts Anvil listening on `host` with these settings */
  startAnvil(host: string, settings: Record<string, string | number | boolean>): Promise<AnvilHandle>;
  settings?: Record<string, string | number | boolean>;
}

export interface Lab {
  net: LabNet;
  dnsmasq: Dnsmasq;
  imagesUrl: string;
  anvil: AnvilHandle;
  vms: Vm[];
  nodes: string[];
  stop(): Promise<void>;
}

/** Anvil settings for real machines under emulation: agent timings scaled, erase_devices (a full-disk shred) off. */
export function labSettings(net: LabNet, d: Dnsmasq, httpPort: number): Record<string, string | number | boolean> {
  return {
    pxe_tftp_port: 69,
    pxe_http_port: httpPort,
    dhcp_provider: 'dnsmasq',
    dnsmasq_dhcp_hostsdir: d.hostsDir,
    dnsmasq_dhcp_optsdir: d.optsDir,
    kernel_append_params: 'console=ttyS0,115200 nofb nomodeset',
    default_boot_mode: 'bios',
    ramdisk_heartbeat_timeout: 20,
    erase_devices_priority: 0,
    agent_command_timeout: 300,
    agent_command_wait_interval: 1,
    post_deploy_get_power_state_retry_interval: 2,
    post_deploy_get_power_state_retries: 30,
    check_provision_state_interval: 5,
    sync_power_state_interval: 600,
    ipmi_power_poll_interval: 1,
    // ipmi_sim shares the cores with the emulated VMs: under load it answered after the default 1 s (a deploy failed on
    // "BMC did not answer Get Channel Authentication Capabilities after 4 attempts (1000 ms each)" at load 28)
    ipmi_attempt_timeout: 3,
  };
}

export async function startLab(o: LabOptions): Promise<Lab> {
  mkdirSync(o.dir, { recursive: true });
  const net = createNet();
  // run in reverse: VMs, Anvil, servers, dnsmasq, the network, then the files
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(o.dir, { recursive: true, force: true }), () => destroyNet(net)];
  const stop = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const dnsmasq = await startDnsmasq(net, join(o.dir, 'dnsmasq'));
    cleanups.push(() => dnsmasq.stop());
    const images = new StaticHttpServer(o.imagesDir, net.hostIp, 0);
    const imgPort = await images.start();
    cleanups.push(() => images.stop());
    const imagesUrl = `http://${net.hostIp}:${imgPort}`;
    const probe = new StaticHttpServer(o.dir, net.hostIp, 0);
    const httpPort = await probe.start(); // a free port on the lab address for Anvil's iPXE HTTP server
    await probe.stop();
    const anvil = await o.startAnvil(net.hostIp, { ...labSettings(net, dnsmasq, httpPort), ...(o.settings ?? {}) });
    cleanups.push(() => anvil.stop());
    const vms: Vm[] = [];
    const nodes: string[] = [];
    for (let i = 0; i < o.count; i++) {
      const vm = await createVm(net, { name: `vm-${i}`, index: i, dir: join(o.dir, `vm-${i}`), bootMode: o.bootMode, accel: o.accel, nics: o.nics });
      cleanups.push(() => vm.stop());
      vms.push(vm);
      nodes.push(await enroll(anvil, vm, imagesUrl, o.agent));
    }
    return { net, dnsmasq, imagesUrl, anvil, vms, nodes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Enroll one VM as an ipmi node with its port (Ironic's names throughout). */
export async function enroll(anvil: AnvilHandle, vm: Vm, imagesUrl: string, agent: string): Promise<string> {
  const r = await anvil.api('POST', '/nodes', {
    name: vm.spec.name,
    driver: 'ipmi',
    boot_interface: 'ipxe',
    deploy_interface: 'direct',
    network_interface: 'flat',
    rescue_interface: 'agent',
    properties: { capabilities: `boot_mode:${vm.spec.bootMode}`, cpu_arch: 'x86_64' },
    driver_info: {
      ipmi_address: vm.bmc.host,
      ipmi_port: vm.bmc.port,
      ipmi_username: vm.bmc.username,
      ipmi_password: vm.bmc.password,
      deploy_kernel: `${imagesUrl}/${agent}/vmlinuz`,
      deploy_ramdisk: `${imagesUrl}/${agent}/initramfs`,
      rescue_kernel: `${imagesUrl}/${agent}/vmlinuz`,
      rescue_ramdisk: `${imagesUrl}/${agent}/initramfs`,
    },
  });
  if (r.status !== 201) throw new Error(`enroll ${vm.spec.name}: ${r.status} ${JSON.stringify(r.body)}`);
  const p = await anvil.api('POST', '/ports', { node_uuid: r.body.uuid, address: vm.mac, pxe_enabled: true });
  if (p.status !== 201) throw new Error(`port of ${vm.spec.name}: ${p.status} ${JSON.stringify(p.body)}`);
  return r.body.uuid;
}
