/** Small pure helpers the built-in hooks share: the node's capabilities string, MAC checks, IP checks. */
import type { InspectedNode, JsonObject } from '@anvil/sdk';

export const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const MAC_RE = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

/** Ironic's capabilities property: "k1:v1,k2:v2" (a dict is accepted too). */
export function parseCapabilities(v: unknown): [string, string][] {
  if (isObj(v)) return Object.entries(v).map(([k, x]) => [k, String(x)]);
  if (typeof v !== 'string' || !v) return [];
  return v.split(',').filter(Boolean).map((kv) => {
    const i = kv.indexOf(':');
    return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
  });
}

/** driver utils add_node_capability: replaces an existing value of the capability, else appends. */
export function setCapability(node: InspectedNode, name: string, value: unknown): void {
  const caps = parseCapabilities(node.properties.capabilities);
  const i = caps.findIndex(([k]) => k === name);
  if (i >= 0) caps[i] = [name, String(value)];
  else caps.push([name, String(value)]);
  node.properties = { ...node.properties, capabilities: caps.map(([k, x]) => `${k}:${x}`).join(',') };
}

export function unsetCapability(node: InspectedNode, name: string): void {
  const caps = parseCapabilities(node.properties.capabilities).filter(([k]) => k !== name);
  node.properties = { ...node.properties, capabilities: caps.map(([k, x]) => `${k}:${x}`).join(',') };
}

export function setProperty(node: InspectedNode, name: string, value: JsonObject[string]): void {
  node.properties = { ...node.properties, [name]: value };
}

export function isLoopback(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1';
}

/** IPv4 (or IPv6) address inside a CIDR. */
export function inNet(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const v6 = net.includes(':');
  if (v6 !== address.includes(':')) return false;
  const toBig = (ip: string) => (v6 ? v6ToBig(ip) : ip.split('.').reduce((a, o) => (a << 8n) + BigInt(Number(o)), 0n));
  const width = v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) throw new Error(`invalid value: invalid IPNetwork ${cidr}`);
  const shift = BigInt(width - bits);
  return toBig(address) >> shift === toBig(net) >> shift;
}

function v6ToBig(ip: string): bigint {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((a, g) => (a << 16n) + BigInt(Number.parseInt(g || '0', 16)), 0n);
}
