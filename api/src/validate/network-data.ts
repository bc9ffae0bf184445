/**
 * A node's network_data (pure): null, {} or a document with the structure of Ironic's bundled network-data schema
 * (OpenStack network_data.json: links, networks, services). Errors read like jsonschema's first error, prefixed
 * "Schema error for node: " as Ironic's node schema check does.
 */
import { InvalidParameterValue, pyRepr } from '@anvil/sdk';

type Doc = Record<string, unknown>;


const fail = (msg: string): never => {
  throw new InvalidParameterValue(`Schema error for node: ${msg}`);
};
const isObj = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

const L2_TYPES = ['bridge', 'dvs', 'hw_veb', 'hyperv', 'ovs', 'tap', 'vhostuser', 'vif', 'phy'];
const L3_TYPES = ['ipv4', 'ipv4_dhcp', 'ipv6', 'ipv6_dhcp', 'ipv6_slaac'];
const BOND_MODES = ['802.1ad', 'balance-rr', 'active-backup', 'balance-xor', 'broadcast', 'balance-tlb', 'balance-alb'];
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

interface ItemRule {
  required: string[];
  /** Extra checks of the picked definition (patterns, enums, types). */
  valid?: (i: Doc) => boolean;
}

/** Link definitions, picked by "type" (the schema's oneOf over l2_link, l2_bond, l2_vlan). */
function linkRule(i: Doc): ItemRule | null {
  if (i.type === 'bond')
    return {
      required: ['ethernet_mac_address', 'id', 'type', 'bond_mode', 'bond_links'],
      valid: (x) => MAC.test(String(x.ethernet_mac_address)) && BOND_MODES.includes(String(x.bond_mode)) && Array.isArray(x.bond_links),
    };
  if (i.type === 'vlan')
    return { required: ['vlan_mac_address', 'id', 'type', 'vlan_link', 'vlan_id'], valid: (x) => MAC.test(String(x.vlan_mac_address)) && Number.isInteger(x.vlan_id) };
  if (typeof i.type === 'string' && L2_TYPES.includes(i.type))
    return { required: ['ethernet_mac_address', 'id', 'type'], valid: (x) => MAC.test(String(x.ethernet_mac_address)) };
  return null;
}

/** `first`: the required keys of the list's first definition, which jsonschema's best match reports when no "type" fits. */
function checkItems(list: unknown, rule: (item: Doc) => ItemRule | null, first: string[]): void {
  for (const item of list as unknown[]) {
    if (!isObj(item)) fail(`${pyRepr(item)} is not valid under any of the given schemas`);
    const r = rule(item as Doc) ?? { required: first, valid: () => false };
    const missing = r.required.find((k) => !(k in (item as Doc)));
    if (missing) fail(`${pyRepr(item)} is not valid under any of the given schemas. Possible root cause: '${missing}' is a required property`);
    if (r.valid && !r.valid(item as Doc)) fail(`${pyRepr(item)} is not valid under any of the given schemas`);
  }
}

export function checkNetworkData(nd: unknown): void {
  if (nd === null || nd === undefined) return;
  const notNull = `${pyRepr(nd)} is not valid under any of the given schemas. Possible root cause: ${pyRepr(nd)} is not of type 'null'`;
  if (!isObj(nd)) fail(notNull);
  const doc = nd as Doc;
  if (Object.keys(doc).length === 0) return; // {} is accepted (no network data)
  for (const k of ['links', 'networks', 'services']) if (k in doc && !Array.isArray(doc[k])) fail(`${pyRepr(doc[k])} is not of type 'array'`);
  for (const k of ['links', 'networks', 'services']) if (!(k in doc)) fail(notNull);
  checkItems(doc.links, linkRule, ['ethernet_mac_address', 'id', 'type']);
  const l3 = ['id', 'link', 'network_id', 'type'];
  checkItems(doc.networks, (i) => (typeof i.type === 'string' && L3_TYPES.includes(i.type) ? { required: l3 } : null), l3);
  checkItems(doc.services, (i) => (i.type === 'dns' ? { required: ['address', 'type'] } : null), ['address', 'type']);
}
