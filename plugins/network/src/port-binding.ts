/**
 * Neutron port bodies for bare metal (Ironic common/neutron.py add_ports_to_network / unbind_neutron_port):
 * binding:vnic_type baremetal, binding:host_id = node uuid, device_owner baremetal:none, and
 * binding:profile.local_link_information from the Ironic ports' local_link_connection. Portgroups come first.
 */
import type { JsonObject, PortgroupRecord, PortRecord, Task } from '@anvil/sdk';

export interface Attachable {
  kind: 'port' | 'portgroup';
  rec: PortRecord | PortgroupRecord;
  address: string | null;
  llc: JsonObject[];
  physnet: string | null;
}

/** pxe-enabled holders: a portgroup (with its pxe-enabled member ports' links) before standalone ports. */
export function pxeAttachables(task: Task): Attachable[] {
  const out: Attachable[] = [];
  for (const pg of task.portgroups) {
    const members = task.ports.filter((p) => p.portgroup_id === pg.id && p.pxe_enabled);
    if (!members.length) continue;
    out.push({ kind: 'portgroup', rec: pg, address: pg.address ?? members[0].address, llc: members.map((p) => p.local_link_connection), physnet: members[0].physical_network });
  }
  for (const p of task.ports) {
    if (!p.pxe_enabled) continue;
    const pg = task.portgroups.find((g) => g.id === p.portgroup_id);
    if (pg && out.some((a) => a.rec.uuid === pg.uuid)) continue;
    out.push({ kind: 'port', rec: p, address: p.address, llc: [p.local_link_connection], physnet: p.physical_network });
  }
  return out;
}

export function bindingBody(task: Task, a: Pick<Attachable, 'address' | 'llc'>, withLinks: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    'binding:vnic_type': 'baremetal',
    'binding:host_id': task.node.uuid,
    device_owner: 'baremetal:none',
    device_id: task.node.uuid,
  };
  if (a.address) body.mac_address = a.address;
  if (withLinks) body['binding:profile'] = { local_link_information: a.llc };
  return body;
}

export async function saveInternal(task: Task, a: Pick<Attachable, 'kind' | 'rec'>, values: Record<string, unknown>): Promise<void> {
  const internal: JsonObject = { ...a.rec.internal_info };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete internal[k];
    else internal[k] = v as JsonObject[string];
  }
  a.rec.internal_info = internal;
  if (a.kind === 'port') await task.savePort?.(a.rec.uuid, { internal_info: internal });
  else await task.savePortgroup?.(a.rec.uuid, { internal_info: internal });
}

/** Every port and portgroup as an Attachable (tenant VIF handling). */
export function allAttachables(task: Task): Attachable[] {
  return [
    ...task.portgroups.map((pg) => ({
      kind: 'portgroup' as const,
      rec: pg,
      address: pg.address,
      llc: task.ports.filter((p) => p.portgroup_id === pg.id).map((p) => p.local_link_connection),
      physnet: null,
    })),
    ...task.ports.map((p) => ({ kind: 'port' as const, rec: p, address: p.address, llc: [p.local_link_connection], physnet: p.physical_network })),
  ];
}
