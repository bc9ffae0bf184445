/**
 * Consistent hash ring, Ironic-like (tooz.hashring as used by ironic/common/hash_ring.py):
 * each host gets 2^exponent partitions; partition i of host h sits at md5(h repeated i+2 times) read as a
 * 128-bit integer; a key maps to the first partition after md5(key) (wrapping), then to further distinct hosts
 * for replicas. One ring per "conductor_group:hardware type". Pure: node:crypto only.
 */
import { createHash } from 'node:crypto';

const md5Int = (data: Buffer): bigint => BigInt(`0x${createHash('md5').update(data).digest('hex')}`);

export class HashRing {
  readonly hosts: readonly string[];
  private readonly positions: bigint[];
  private readonly owners = new Map<bigint, string>();

  constructor(hosts: Iterable<string>, partitionExponent = 5) {
    const unique = [...new Set(hosts)].sort();
    this.hosts = unique;
    const partitions = 2 ** partitionExponent;
    for (const host of unique) {
      const key = Buffer.from(host, 'utf8');
      // tooz seeds md5 with the host name, then feeds it the name again for every partition (cumulative)
      const h = createHash('md5').update(key);
      for (let r = 0; r < partitions; r++) {
        h.update(key);
        this.owners.set(BigInt(`0x${h.copy().digest('hex')}`), host);
      }
    }
    this.positions = [...this.owners.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.positions.length;
  }

  /** Index of the first partition whose position is > hash(key) (bisect_right), wrapping to 0. */
  partitionFor(key: string): number {
    const hk = md5Int(Buffer.from(key, 'utf8'));
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hk < this.positions[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.positions.length ? lo : 0;
  }

  /** Hosts for a key, in ring order: the owner first, then replicas. `ignore` hosts are skipped. */
  getHosts(key: string, replicas = 1, ignore: Iterable<string> = []): string[] {
    if (this.positions.length === 0) return [];
    const skip = new Set(ignore);
    const want = Math.min(replicas, this.hosts.filter((h) => !skip.has(h)).length);
    const out: string[] = [];
    let p = this.partitionFor(key);
    while (out.length < want) {
      const host = this.owners.get(this.positions[p])!;
      if (!skip.has(host) && !out.includes(host)) out.push(host);
      p = p + 1 < this.positions.length ? p + 1 : 0;
    }
    return out;
  }

  /** The owning host, or null for an empty ring. */
  ownerOf(key: string): string | null {
    return this.getHosts(key, 1)[0] ?? null;
  }
}

export interface RingMember {
  hostname: string;
  conductor_group: string;
  drivers: string[];
}

/** Rings keyed by `${conductor_group}:${hardware type}`, like Ironic's HashRingManager with use_groups. */
export class HashRings {
  private readonly rings = new Map<string, HashRing>();
  readonly groups: ReadonlySet<string>;

  constructor(members: Iterable<RingMember>, partitionExponent = 5) {
    const byKey = new Map<string, string[]>();
    const groups = new Set<string>();
    for (const m of members) {
      const group = (m.conductor_group ?? '').toLowerCase();
      groups.add(group);
      for (const d of m.drivers) {
        const k = `${group}:${d}`;
        if (!byKey.has(k)) byKey.set(k, []);
        byKey.get(k)!.push(m.hostname);
      }
    }
    for (const [k, hosts] of byKey) this.rings.set(k, new HashRing(hosts, partitionExponent));
    this.groups = groups;
  }

  get empty(): boolean {
    return this.rings.size === 0;
  }

  /** Every host in any ring, sorted. */
  get hosts(): string[] {
    return [...new Set([...this.rings.values()].flatMap((r) => r.hosts))].sort();
  }

  ring(conductorGroup: string, driver: string): HashRing | undefined {
    return this.rings.get(`${(conductorGroup ?? '').toLowerCase()}:${driver}`);
  }

  /** Owner host of a node (by uuid) or null when no conductor serves its group + driver. */
  ownerOf(node: { uuid: string; driver: string; conductor_group: string }): string | null {
    return this.ring(node.conductor_group, node.driver)?.ownerOf(node.uuid) ?? null;
  }
}
