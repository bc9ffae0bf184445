/**
 * network_data.json as Nova's Ironic driver writes it (pure): one link per VIF, enriched from the node's Ironic
 * ports and portgroups — a port whose internal_info.tenant_vif_port_id (or legacy extra.vif_port_id) is the VIF
 * gives the link its MAC; a portgroup turns it into a bond plus one phy link per member port.
 */
import type { Nic } from '../compute/types.ts';

type Rec = Record<string, unknown>;

const vifOf = (p: Rec) => ((p.internal_info as Rec | undefined)?.tenant_vif_port_id ?? (p.extra as Rec | undefined)?.vif_port_id) as string | undefined;

export interface NetworkData {
  links: Rec[];
  networks: Rec[];
  services: Rec[];
}

export function networkData(nics: (Nic & { mac?: string })[], ports: Rec[], portgroups: Rec[]): NetworkData {
  const links: Rec[] = [];
  const networks: Rec[] = [];
  nics.forEach((nic, i) => {
    const id = `tap${nic.port_id.slice(0, 11)}`;
    const pg = portgroups.find((g) => vifOf(g) === nic.port_id);
    const port = ports.find((p) => vifOf(p) === nic.port_id);
    if (pg) {
      const members = ports.filter((p) => p.portgroup_uuid === pg.uuid);
      const link: Rec = { id, vif_id: nic.port_id, type: 'bond', mtu: null, ethernet_mac_address: pg.address ?? null, bond_mode: pg.mode ?? null };
      link.bond_links = members.map((p) => p.uuid);
      for (const [k, v] of Object.entries((pg.properties as Rec) ?? {})) link[`bond_${k}`] = v;
      links.push(link);
      for (const p of members) links.push({ id: p.uuid, type: 'phy', ethernet_mac_address: p.address });
    } else {
      links.push({ id, vif_id: nic.port_id, type: 'phy', mtu: null, ethernet_mac_address: (port?.address as string | undefined) ?? nic.mac ?? null });
    }
    networks.push({ id: `network${i}`, type: 'ipv4_dhcp', link: id, network_id: nic.net_id ?? nic.port_id });
  });
  return { links, networks, services: [] };
}
