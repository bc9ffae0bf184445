/**
 * Which compute host manages an unowned node: a consistent hash ring over the live compute hosts (pure, md5
 * points, 64 per host), so adding a compute moves only its share of nodes.
 */
import { createHash } from 'node:crypto';

const point = (s: string) => createHash('md5').update(s).digest().readUInt32BE(0);

export class ComputeHashRing {
  private readonly ring: { p: number; host: string }[];
  constructor(hosts: string[], replicas = 64) {
    this.ring = [...new Set(hosts)]
      .flatMap((host) => Array.from({ length: replicas }, (_, i) => ({ p: point(`${host}-${i}`), host })))
      .sort((a, b) => a.p - b.p || a.host.localeCompare(b.host));
  }
  hostFor(key: string): string | null {
    if (!this.ring.length) return null;
    const p = point(key);
    for (const e of this.ring) if (e.p >= p) return e.host;
    return this.ring[0].host;
  }
}
