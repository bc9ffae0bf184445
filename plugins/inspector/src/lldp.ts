/**
 * LLDP TLVs as the agent reports them (`[type, "<hex value>"]` per interface) parsed into Ironic's names
 * (lldp_parsers.py: switch_chassis_id, switch_port_id, switch_system_name, switch_port_vlans, switch_port_mtu, ...).
 * Pure. 802.1AB basic management set, 802.1Q (OUI 0080c2) and 802.3 (OUI 00120f) organisational TLVs.
 */
export type Tlv = [number, string];
export type ParsedLldp = Record<string, unknown>;

export const TLV = { END: 0, CHASSIS_ID: 1, PORT_ID: 2, TTL: 3, PORT_DESC: 4, SYS_NAME: 5, SYS_DESC: 6, SYS_CAP: 7, MGMT_ADDR: 8, ORG: 127 } as const;
const OUI_DOT1 = '0080c2';
const OUI_DOT3 = '00120f';
const MAX_VALUE = 511;

const text = (b: Buffer) => {
  const s = new TextDecoder('utf-8', { fatal: true }).decode(b);
  return s;
};
const mac = (b: Buffer) => (b.length === 6 ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : null);

/** An IANA address family + address (chassis/port id subtype "network address", management address). */
function netAddress(b: Buffer): string | null {
  const family = b[0];
  const a = b.subarray(1);
  if (family === 1 && a.length === 4) return [...a].join('.');
  if (family === 2 && a.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(a.readUInt16BE(i).toString(16));
    return compressV6(groups);
  }
  if (family === 6) return mac(a);
  return null;
}

function compressV6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Chassis ID subtypes (IEEE 802.1AB 8.5.2.2) and Port ID subtypes (8.5.3.2): the value as Ironic shows it. */
const CHASSIS_SUBTYPES: Record<number, ((b: Buffer) => string | null) | undefined> = {
  1: text, // chassis component
  2: text, // interface alias
  3: text, // port component
  4: mac, // MAC address
  5: netAddress, // network address
  6: text, // interface name
  7: text, // locally assigned
};
const PORT_SUBTYPES: Record<number, ((b: Buffer) => string | null) | undefined> = {
  1: text, // interface alias
  2: text, // port component
  3: mac, // MAC address
  4: netAddress, // network address
  5: text, // interface name
  6: text, // agent circuit id
  7: text, // locally assigned
};
export const CHASSIS_SUBTYPE_NAMES: Record<number, string> = { 1: 'chassis_component', 2: 'interface_alias', 3: 'port_component', 4: 'mac_address', 5: 'network_address', 6: 'interface_name', 7: 'local' };

export function chassisId(b: Buffer): { subtype: number; value: string } | null {
  const f = CHASSIS_SUBTYPES[b[0]];
  const v = f && b.length > 1 ? f(b.subarray(1)) : null;
  return v === null || v === undefined ? null : { subtype: b[0], value: v };
}

export function portId(b: Buffer): { subtype: number; value: string } | null {
  const f = PORT_SUBTYPES[b[0]];
  const v = f && b.length > 1 ? f(b.subarray(1)) : null;
  return v === null || v === undefined ? null : { subtype: b[0], value: v };
}

const CAPS = ['Other', 'Repeater', 'Bridge', 'WLAN', 'Router', 'Telephone', 'DOCSIS cable device', 'Station only', 'C-Vlan', 'S-Vlan', 'TPMR'];
const capList = (bits: number) => CAPS.map((name, i) => ((bits >> i) & 1 ? name : null)).filter((x): x is string => x !== null && x !== 'Other');

/** The hex value of one TLV → bytes, or null when it is not valid hex. */
export function tlvBytes(value: unknown): Buffer | null {
  if (typeof value !== 'string' || value.length % 2 || !/^[0-9a-fA-F]*$/.test(value)) return null;
  return Buffer.from(value, 'hex');
}

class Collector {
  readonly nv: ParsedLldp = {};
  set(name: string, v: unknown) {
    if (!(name in this.nv)) this.nv[name] = v;
  }
  append(name: string, v: unknown) {
    const cur = (this.nv[name] ??= []) as unknown[];
    cur.push(v);
  }
}

function linkAggregation(c: Collector, d: Buffer) {
  if (d.length !== 5) return;
  c.set('switch_port_link_aggregation_enabled', Boolean(d[0] & 2));
  c.set('switch_port_link_aggregation_support', Boolean(d[0] & 1));
  c.set('switch_port_link_aggregation_id', d.readUInt32BE(1));
}

function dot1(c: Collector, subtype: number, d: Buffer) {
  if (subtype === 1 && d.length === 2) c.set('switch_port_untagged_vlan_id', d.readUInt16BE(0));
  else if (subtype === 2 && d.length === 3) {
    c.set('switch_port_protocol_vlan_enabled', Boolean(d[0] & 4));
    c.set('switch_port_protocol_vlan_support', Boolean(d[0] & 2));
    c.append('switch_port_protocol_vlan_ids', d.readUInt16BE(1));
  } else if (subtype === 3 && d.length >= 3) {
    const len = d[2];
    c.append('switch_port_vlans', { name: text(d.subarray(3, 3 + len)), id: d.readUInt16BE(0) });
  } else if (subtype === 4 && d.length >= 1) c.append('switch_protocol_identities', d.subarray(1, 1 + d[0]).toString('hex'));
  else if (subtype === 6 && d.length === 2) c.set('switch_port_management_vlan_id', d.readUInt16BE(0));
  else if (subtype === 7) linkAggregation(c, d);
}

function dot3(c: Collector, subtype: number, d: Buffer) {
  if (subtype === 1 && d.length === 5) {
    c.set('switch_port_autonegotiation_enabled', Boolean(d[0] & 2));
    c.set('switch_port_autonegotiation_support', Boolean(d[0] & 1));
    c.set('switch_port_mau_type_id', d.readUInt16BE(3));
  } else if (subtype === 3) linkAggregation(c, d);
  else if (subtype === 4 && d.length === 2) c.set('switch_port_mtu', d.readUInt16BE(0));
}

/** One interface's TLVs → Ironic's parsed_lldp entry; malformed TLVs are skipped (Ironic logs and goes on). */
export function parseLldpTlvs(tlvs: unknown): ParsedLldp {
  const c = new Collector();
  if (!Array.isArray(tlvs)) return c.nv;
  for (const entry of tlvs) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'number') continue;
    const d = tlvBytes(entry[1]);
    if (!d || d.length > MAX_VALUE) continue;
    try {
      parseOne(c, entry[0], d);
    } catch {
      // undecodable text: skipped like Ironic's UnicodeDecodeError
    }
  }
  return c.nv;
}

function parseOne(c: Collector, type: number, d: Buffer): void {
  switch (type) {
    case TLV.CHASSIS_ID: {
      const id = chassisId(d);
      if (id) c.set('switch_chassis_id', id.value);
      return;
    }
    case TLV.PORT_ID: {
      const id = portId(d);
      if (id) c.set('switch_port_id', id.value);
      return;
    }
    case TLV.PORT_DESC:
      c.set('switch_port_description', text(d));
      return;
    case TLV.SYS_NAME:
      c.set('switch_system_name', text(d));
      return;
    case TLV.SYS_DESC:
      c.set('switch_system_description', text(d));
      return;
    case TLV.SYS_CAP:
      if (d.length !== 4) return;
      c.set('switch_capabilities_support', capList(d.readUInt16BE(0)));
      c.set('switch_capabilities_enabled', capList(d.readUInt16BE(2)));
      return;
    case TLV.MGMT_ADDR: {
      const len = d[0];
      const addr = len > 1 ? netAddress(d.subarray(1, 1 + len)) : null;
      if (addr) c.append('switch_mgmt_addresses', addr);
      return;
    }
    case TLV.ORG: {
      if (d.length < 4) return;
      const oui = d.subarray(0, 3).toString('hex');
      if (oui === OUI_DOT1) dot1(c, d[3], d.subarray(4));
      else if (oui === OUI_DOT3) dot3(c, d[3], d.subarray(4));
      return;
    }
    default:
  }
}
