/**
 * Ironic's parse-lldp and local-link-connection hooks (pure): raw LLDP TLVs per interface (inventory
 * interfaces[].lldp or plugin_data.lldp_raw) → plugin_data.parsed_lldp, and the ports' local_link_connection
 * (switch_id from a MAC chassis id, port_id from the port id, switch_info from the system name; keys already set
 * on the port are kept).
 */
import type { InspectionData, InspectionHook, JsonObject } from '@anvil/sdk';
import { chassisId, parseLldpTlvs, portId, TLV, tlvBytes } from '../lldp.ts';
import { isObj } from './util.ts';

const MAX_INTERFACES = 64;

function tlvsOf(d: InspectionData, iface: JsonObject): unknown[] | null {
  const raw = isObj(d.plugin_data.lldp_raw) ? d.plugin_data.lldp_raw : {};
  const name = String(iface.name);
  const tlvs = (Array.isArray(raw[name]) && raw[name].length ? raw[name] : null) ?? iface.lldp;
  return Array.isArray(tlvs) ? tlvs : null;
}

const interfaces = (d: InspectionData) => (Array.isArray(d.inventory.interfaces) ? d.inventory.interfaces.filter(isObj) : []);

export const parseLldp: InspectionHook = {
  name: 'parse-lldp',
  process(d) {
    for (const iface of interfaces(d).slice(0, MAX_INTERFACES)) {
      const tlvs = tlvsOf(d, iface);
      if (!tlvs) {
        d.log.push(`No LLDP Data found for interface ${iface.name} of node ${d.node.uuid}`);
        continue;
      }
      const nv = parseLldpTlvs(tlvs);
      if (Object.keys(nv).length) d.plugin_data.parsed_lldp = { ...(isObj(d.plugin_data.parsed_lldp) ? d.plugin_data.parsed_lldp : {}), [String(iface.name)]: nv as JsonObject };
    }
  },
};

/** The local_link_connection fields one interface's TLVs give (only those not already on the port). */
export function localLinkFrom(tlvs: unknown[], existing: JsonObject): JsonObject | null {
  const out: JsonObject = {};
  for (const t of tlvs) {
    if (!Array.isArray(t)) continue;
    const data = tlvBytes(t[1]);
    if (!data) return null; // Ironic gives up on the interface on a non-hex value
    let item: string | null = null;
    let value: string | null = null;
    try {
      if (t[0] === TLV.PORT_ID) {
        item = 'port_id';
        value = portId(data)?.value ?? null;
      } else if (t[0] === TLV.CHASSIS_ID) {
        const id = chassisId(data);
        if (id?.subtype === 4) {
          item = 'switch_id';
          value = id.value;
        }
      } else if (t[0] === TLV.SYS_NAME) {
        item = 'switch_info';
        value = new TextDecoder('utf-8', { fatal: true }).decode(data);
      }
    } catch {
      return null;
    }
    if (!item || value === null || item in existing || item in out) continue;
    out[item] = value;
  }
  return out;
}

export const localLinkConnection: InspectionHook = {
  name: 'local-link-connection',
  dependencies: ['validate-interfaces'],
  process(d) {
    const all = isObj(d.plugin_data.all_interfaces) ? d.plugin_data.all_interfaces : {};
    for (const iface of interfaces(d)) {
      if (!(String(iface.name) in all)) continue;
      const mac = String(iface.mac_address).toLowerCase();
      const port = d.ports.find((p) => p.address === mac);
      if (!port) continue;
      const tlvs = tlvsOf(d, iface);
      if (!tlvs) {
        d.log.push(`No LLDP data found for interface ${mac} of node ${d.node.uuid}`);
        continue;
      }
      const patch = localLinkFrom(tlvs, port.local_link_connection);
      if (patch && Object.keys(patch).length) port.local_link_connection = { ...port.local_link_connection, ...patch };
    }
  },
};

export default { 'parse-lldp': parseLldp, 'local-link-connection': localLinkConnection } satisfies Record<string, InspectionHook>;
