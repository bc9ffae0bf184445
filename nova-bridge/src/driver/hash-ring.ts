/**
 * Which compute host manages an unowned node, as Nova's Ironic driver decides it: tooz's consistent hash ring
 * (2^5 partitions per host) over the lower-cased live compute hosts plus this host; a node belongs to this host
 * when the ring's owner of its UUID is this host's lower-cased name. The ring itself is the conductor's
 * (`@anvil/conductor/hash-ring`): one implementation of tooz's ring in the tree.
 */
import { HashRing } from '@anvil/conductor/hash-ring';

/** Nova's `_HASH_RING_PARTITIONS = 2 ** 5`. */
const PARTITION_EXPONENT = 5;

export class ComputeHashRing {
  private readonly ring: HashRing;
  constructor(peers: string[], host?: string) {
    const members = peers.map((h) => h.toLowerCase());
    if (host !== undefined) members.push(host.toLowerCase());
    this.ring = new HashRing(members, PARTITION_EXPONENT);
  }
  hostFor(nodeUuid: string): string | null {
    return this.ring.ownerOf(nodeUuid);
  }
  /** Nova: `CONF.host.lower() in hash_ring.get_nodes(node.uuid)`. */
  owns(host: string, nodeUuid: string): boolean {
    return this.ring.ownerOf(nodeUuid) === host.toLowerCase();
  }
}
