/**
 * DHCP providers (Ironic ironic/dhcp): `dnsmasq` writes one dhcp-hostsdir file and one dhcp-optsdir file per Ironic
 * port (tag = port uuid) that a running dnsmasq re-reads on SIGHUP/inotify; `neutron` sets extra_dhcp_opts on the
 * Neutron port currently attached to each Ironic port (rescuing > cleaning > provisioning > tenant VIF); `none` does
 * nothing (DHCP managed elsewhere).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Task, traceBoot } from '@anvil/sdk';
import { allAttachables, neutronFor } from '@anvil/plugin-network';
import { type DhcpOpt, dnsmasqHostLine, dnsmasqOptLines } from './dhcp-options.ts';
import type { PxeSettings } from './settings.ts';

export interface DhcpProvider {
  update(task: Task, options: DhcpOpt[]): Promise<void>;
  clean(task: Task): Promise<void>;
}

const VIF_KEYS = ['rescuing_vif_port_id', 'cleaning_vif_port_id', 'provisioning_vif_port_id', 'tenant_vif_port_id'];

export function dhcpProvider(s: PxeSettings, config: Readonly<Record<string, unknown>>): DhcpProvider {
  if (s.dhcpProvider === 'dnsmasq') return dnsmasqProvider(s);
  if (s.dhcpProvider === 'neutron') return neutronProvider(config);
  return { update: async () => {}, clean: async () => {} };
}

function dnsmasqProvider(s: PxeSettings): DhcpProvider {
  return {
    async update(task, options) {
      mkdirSync(s.dnsmasqHostsDir, { recursive: true });
      mkdirSync(s.dnsmasqOptsDir, { recursive: true });
      for (const port of task.ports) {
        if (!port.pxe_enabled) continue;
        writeFileSync(join(s.dnsmasqOptsDir, port.uuid), `${dnsmasqOptLines(port.uuid, options).join('\n')}\n`);
        writeFileSync(join(s.dnsmasqHostsDir, port.uuid), `${dnsmasqHostLine(port.address, port.uuid)}\n`);
        traceDhcp(task, port.address, `dnsmasq host and options written (${describe(options)})`);
      }
    },
    async clean(task) {
      for (const port of task.ports) {
        rmSync(join(s.dnsmasqOptsDir, port.uuid), { force: true });
        rmSync(join(s.dnsmasqHostsDir, port.uuid), { force: true });
      }
    },
  };
}

function neutronProvider(config: Readonly<Record<string, unknown>>): DhcpProvider {
  const vifsOf = (task: Task) =>
    allAttachables(task)
      .map((a) => VIF_KEYS.map((k) => a.rec.internal_info[k]).find((v) => typeof v === 'string') as string | undefined)
      .filter((v): v is string => !!v);
  return {
    async update(task, options) {
      const client = neutronFor({ ...config, ...task.config });
      if (!client) throw new Error('The neutron DHCP provider needs the neutron_url setting');
      const vifs = vifsOf(task);
      if (!vifs.length) throw new Error(`No VIFs found for node ${task.node.uuid} when attempting to update DHCP BOOT options.`);
      for (const vif of vifs) await client.updatePort(vif, { extra_dhcp_opts: options });
      for (const p of task.ports) traceDhcp(task, p.address, `Neutron extra_dhcp_opts set on ${vifs.join(', ')} (${describe(options)})`);
    },
    async clean(task) {
      const client = neutronFor({ ...config, ...task.config });
      if (!client) return;
      for (const a of allAttachables(task)) {
        const vif = a.rec.internal_info.tenant_vif_port_id;
        if (typeof vif === 'string') await client.updatePort(vif, { extra_dhcp_opts: [] }).catch(() => undefined);
      }
    },
  };
}

/** The DHCP options as name=value (bootfile, TFTP server, iPXE script). */
function describe(options: DhcpOpt[]): string {
  return options.map((o) => `${o.opt_name}=${o.opt_value}`).join(', ');
}

function traceDhcp(task: Task, mac: string, detail: string): void {
  traceBoot({ mac, node_uuid: task.node.uuid, kind: 'dhcp', result: 'ok', detail, step: task.node.provision_state });
}
