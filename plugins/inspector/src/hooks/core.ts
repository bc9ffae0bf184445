/**
 * Ironic's default inspection hooks: ramdisk-error, validate-interfaces, ports, architecture (pure).
 * validate-interfaces fills plugin_data all_interfaces / valid_interfaces / macs per [inspector]add_ports; ports
 * creates ports for the valid interfaces and applies keep_ports / update_pxe_enabled to the existing ones.
 */
import { HardwareInspectionFailure, type InspectionData, type InspectionHook, type InspectionOptions, type JsonObject } from '@anvil/sdk';
import { isLoopback, isObj, MAC_RE } from './util.ts';

type Iface = JsonObject & { name: string; mac_address: string; pxe_enabled: boolean };

/** The PXE MAC from inventory.boot.pxe_interface ("01-aa-bb-..." pxelinux form accepted). */
export function pxeMac(inventory: JsonObject): string | null {
  const boot = isObj(inventory.boot) ? inventory.boot : {};
  let m = typeof boot.pxe_interface === 'string' ? boot.pxe_interface : null;
  if (m?.includes('-')) m = m.split('-').slice(1).join(':').toLowerCase();
  return m ? m.toLowerCase() : null;
}

function interfacesOf(d: InspectionData): JsonObject[] {
  return Array.isArray(d.inventory.interfaces) ? (d.inventory.interfaces.filter(isObj) as JsonObject[]) : [];
}

function allInterfaces(d: InspectionData): Record<string, Iface> {
  const pxe = pxeMac(d.inventory);
  const out: Record<string, Iface> = {};
  for (const iface of interfacesOf(d)) {
    const name = typeof iface.name === 'string' ? iface.name : '';
    const mac = typeof iface.mac_address === 'string' ? iface.mac_address : '';
    if (!name) {
      d.log.push(`Malformed interface record for node ${d.node.uuid}: ${JSON.stringify(iface)}`);
      continue;
    }
    if (!mac) continue;
    if (!MAC_RE.test(mac)) {
      d.log.push(`MAC address of interface ${name} of node ${d.node.uuid} is not valid, skipping`);
      continue;
    }
    let v6 = typeof iface.ipv6_address === 'string' ? iface.ipv6_address : null;
    if (v6?.includes('%')) v6 = v6.split('%')[0];
    const lower = mac.toLowerCase();
    out[name] = { ...iface, name, mac_address: lower, pxe_enabled: lower === pxe, ipv6_address: v6 };
  }
  return out;
}

function validInterfaces(d: InspectionData, all: Record<string, Iface>, o: InspectionOptions): Record<string, Iface> {
  const reason = (r: string) => new HardwareInspectionFailure(`Inventory of node ${d.node.uuid} is invalid: ${r}`);
  if (!Object.keys(all).length) throw reason('no valid network interfaces');
  const pxe = pxeMac(d.inventory);
  const out: Record<string, Iface> = {};
  for (const [name, iface] of Object.entries(all)) {
    const ip = (iface.ipv4_address || iface.ipv6_address) as string | null | undefined;
    if (name === 'lo' || (ip && isLoopback(ip))) continue;
    if (o.add_ports === 'pxe' && pxe && !iface.pxe_enabled) continue;
    if (o.add_ports === 'active' && !ip) continue;
    out[name] = { ...iface };
  }
  if (!Object.keys(out).length) throw reason(`no network interfaces match the configuration (add_ports set to "${o.add_ports}")`);
  return out;
}

export const ramdiskError: InspectionHook = {
  name: 'ramdisk-error',
  preprocess(d) {
    const err = d.plugin_data.error;
    if (err) throw new HardwareInspectionFailure(`Ramdisk reported error: ${String(err)}`);
  },
};

export const validateInterfaces: InspectionHook = {
  name: 'validate-interfaces',
  preprocess(d, o) {
    const all = allInterfaces(d);
    const valid = validInterfaces(d, all, o);
    d.plugin_data.all_interfaces = all;
    d.plugin_data.valid_interfaces = valid;
    d.plugin_data.macs = Object.values(valid).map((i) => i.mac_address);
  },
};

export const ports: InspectionHook = {
  name: 'ports',
  dependencies: ['validate-interfaces'],
  process(d, o) {
    const all = (d.plugin_data.all_interfaces ?? {}) as Record<string, Iface>;
    const valid = (d.plugin_data.valid_interfaces ?? {}) as Record<string, Iface>;
    if (o.add_ports !== 'disabled') {
      for (const iface of Object.values(valid)) {
        if (d.ports.some((p) => p.address === iface.mac_address)) continue;
        const extra: JsonObject = iface.client_id ? { 'client-id': iface.client_id } : {};
        d.ports.push({ address: iface.mac_address, pxe_enabled: iface.pxe_enabled, extra, local_link_connection: {}, physical_network: null });
        d.log.push(`Port created for MAC address ${iface.mac_address} for node ${d.node.uuid}${iface.pxe_enabled ? ' (PXE booting)' : ''}`);
      }
    }
    let expected: Set<string> | null = null;
    if (o.keep_ports === 'present') expected = new Set(Object.values(all).map((i) => i.mac_address));
    else if (o.keep_ports === 'added') expected = new Set((d.plugin_data.macs ?? []) as string[]);
    const pxeMacs = new Set(Object.values(all).filter((i) => i.pxe_enabled).map((i) => i.mac_address));
    d.ports = d.ports.filter((p) => {
      if (expected?.size && !expected.has(p.address)) {
        d.log.push(`Deleting port ${p.uuid ?? p.address} of node ${d.node.uuid} as its MAC ${p.address} is not in the expected MAC list [${[...expected].sort().join(', ')}]`);
        return false;
      }
      if (o.update_pxe_enabled) p.pxe_enabled = pxeMacs.has(p.address);
      return true;
    });
  },
};

export const architecture: InspectionHook = {
  name: 'architecture',
  process(d) {
    const cpu = isObj(d.inventory.cpu) ? d.inventory.cpu : {};
    if (typeof cpu.architecture !== 'string') {
      d.log.push(`Failed to get CPU architecture from the inventory of node ${d.node.uuid}`);
      return;
    }
    d.node.properties = { ...d.node.properties, cpu_arch: cpu.architecture };
  },
};

export default { 'ramdisk-error': ramdiskError, 'validate-interfaces': validateInterfaces, ports, architecture } satisfies Record<string, InspectionHook>;
