/**
 * update_provider_tree for one node (pure): one resource provider per node, named by its UUID, holding a single
 * inventory of the node's CUSTOM_<RESOURCE_CLASS> (total 1), reserved when the node cannot take an instance.
 */
import { customResourceClass } from '../placement/resource-class.ts';
import type { NodeView } from './node-view.ts';
import { NoResourceClass } from './nova-errors.ts';

export interface Inventory {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

export interface ProviderData {
  uuid: string;
  name: string;
  inventories: Record<string, Inventory>;
  traits: string[];
}

/** Why a node cannot take a new instance, in Nova's terms; empty = usable. */
export function unusableReasons(node: NodeView): string[] {
  const out: string[] = [];
  if (node.maintenance) out.push('maintenance');
  if (node.power_state === 'error') out.push('power failure');
  else if (node.power_state === null) out.push('power state unknown');
  if (node.provision_state !== 'available' && node.provision_state !== null) out.push(`not available (provision_state ${node.provision_state})`);
  return out;
}

export function providerFor(node: NodeView, o: { skipReserveInUse?: boolean } = {}): ProviderData {
  if (!node.resource_class) throw new NoResourceClass(`node ${node.uuid} has no resource_class`);
  const inUse = node.instance_uuid !== null && !o.skipReserveInUse;
  const reserved = unusableReasons(node).length > 0 || inUse ? 1 : 0;
  return {
    uuid: node.uuid,
    name: node.uuid,
    inventories: {
      [customResourceClass(node.resource_class)]: { total: 1, reserved, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1.0 },
    },
    traits: [...node.traits],
  };
}

/** properties.capabilities "k1:v1,k2:v2" → {k1: v1, k2: v2} (what Nova copies into the compute node stats). */
export function parseCapabilities(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof raw !== 'string') return out;
  for (const pair of raw.split(',')) {
    const i = pair.indexOf(':');
    if (i > 0) out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

/** get_available_resource's stats: cpu_arch plus the node capabilities. */
export function nodeStats(node: NodeView): Record<string, string> {
  const stats = parseCapabilities(node.properties.capabilities);
  if (typeof node.properties.cpu_arch === 'string') stats.cpu_arch = node.properties.cpu_arch;
  return stats;
}
