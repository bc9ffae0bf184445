/**
 * The dnsmasq PXE filter (ironic-inspector's / ironic-pxe-filter's `dnsmasq` driver), pure: which MACs the
 * inspection dnsmasq may answer, as one `--dhcp-hostsdir` file per MAC (named by the MAC): `<mac>\n` allows it,
 * `<mac>,ignore\n` denies it; `unknown_hosts_filter` holds the wildcard for MACs no file names
 * (`*:*:*:*:*:*` or `*:*:*:*:*:*,ignore`). MACs of nodes being inspected are allowed, every other known port's MAC is
 * denied; unknown MACs (and MACs whose port is gone) are allowed only while some inspection runs or auto-discovery
 * is on (never with deny_unknown_macs). Files are rewritten only when their content changes and never removed
 * (dnsmasq's inotify ignores removals).
 */

export const UNKNOWN_HOSTS_FILE = 'unknown_hosts_filter';
const WILDCARD = '*:*:*:*:*:*';

export interface PxeFilterInput {
  /** every port MAC the service knows */
  knownMacs: Iterable<string>;
  /** MACs of the nodes being inspected */
  activeMacs: Iterable<string>;
  /** the hostsdir as it is: file name → content */
  current: Readonly<Record<string, string>>;
  autoDiscovery: boolean;
  denyUnknownMacs: boolean;
}

/** One MAC's file content. */
export function filterLine(mac: string, allow: boolean): string {
  return allow ? `${mac}\n` : `${mac},ignore\n`;
}

const norm = (m: string) => m.trim().toLowerCase();

/** The files to (re)write: name → content. */
export function planPxeFilter(input: PxeFilterInput): Record<string, string> {
  const known = new Set([...input.knownMacs].map(norm));
  const active = new Set([...input.activeMacs].map(norm));
  const allowUnknown = (active.size > 0 || input.autoDiscovery) && !input.denyUnknownMacs;
  const want: Record<string, string> = {};
  for (const mac of known) want[mac] = filterLine(mac, active.has(mac));
  for (const mac of active) want[mac] = filterLine(mac, true);
  // files of MACs whose port is gone are treated as unknown hosts
  for (const name of Object.keys(input.current)) if (name !== UNKNOWN_HOSTS_FILE && !(name in want)) want[name] = filterLine(name, allowUnknown);
  want[UNKNOWN_HOSTS_FILE] = filterLine(WILDCARD, allowUnknown);
  return Object.fromEntries(Object.entries(want).filter(([name, content]) => input.current[name] !== content));
}
