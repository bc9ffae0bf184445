/**
 * The lab's network: a network namespace with a Linux bridge, one tap per VM NIC on it, and a veth pair whose host
 * end (the first address of the subnet) is where Anvil listens. Inside: the bridge has the second address (dnsmasq,
 * the BMCs). Nothing is routed: traffic stays between this host end, the bridge and the VMs.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface LabNet {
  ns: string;
  /** host end of the veth: Anvil's API, TFTP and HTTP */
  hostIp: string;
  /** the bridge inside the namespace: dnsmasq, ipmi_sim */
  bridgeIp: string;
  prefix: string; // "10.a.b"
  hostIf: string;
  bridge: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, 'ip', ...args);

/** A /24 in 10.200-249.x.0 that no route on this host uses. */
function freePrefix(): string {
  const routes = ip('-4', 'route', 'show', 'table', 'all');
  for (let i = 0; i < 200; i++) {
    const b = randomBytes(2);
    const prefix = `10.${200 + (b[0] % 50)}.${b[1]}`;
    if (!routes.includes(`${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.x.y.0/24 for the lab network');
}

export function createNet(tag = randomBytes(3).toString('hex')): LabNet {
  const ns = `anvil-lab-${tag}`;
  const prefix = freePrefix();
  const hostIf = `al${tag}h`;
  const peer = `al${tag}n`;
  const net: LabNet = { ns, hostIp: `${prefix}.1`, bridgeIp: `${prefix}.2`, prefix, hostIf, bridge: 'br0' };
  ip('netns', 'add', ns);
  try {
    inNs(ns, 'link', 'set', 'lo', 'up');
    inNs(ns, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0');
    inNs(ns, 'addr', 'add', `${net.bridgeIp}/24`, 'dev', 'br0');
    inNs(ns, 'link', 'set', 'br0', 'up');
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', ns);
    inNs(ns, 'link', 'set', peer, 'master', 'br0', 'up');
    ip('addr', 'add', `${net.hostIp}/24`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
  } catch (e) {
    destroyNet(net);
    throw e;
  }
  return net;
}

/** A tap device on the bridge for one VM NIC (qemu opens it by name inside the namespace). */
export function addTap(net: LabNet, name: string): string {
  inNs(net.ns, 'tuntap', 'add', 'dev', name, 'mode', 'tap');
  inNs(net.ns, 'link', 'set', name, 'master', net.bridge, 'up');
  return name;
}

/** Plug a VM's tap into the bridge or pull it out (a machine whose network boot never gets an answer). */
export function setCable(net: LabNet, tap: string, plugged: boolean): void {
  if (plugged) inNs(net.ns, 'link', 'set', tap, 'master', net.bridge, 'up');
  else inNs(net.ns, 'link', 'set', tap, 'nomaster');
}

export function destroyNet(net: Pick<LabNet, 'ns' | 'hostIf'>): void {
  for (const args of [['link', 'del', net.hostIf], ['netns', 'del', net.ns]]) {
    try {
      ip(...args);
    } catch {
      // already gone
    }
  }
}

/** Namespaces an earlier lab left (anvil lab down removes them). */
export function labNamespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith('anvil-lab-'));
}
