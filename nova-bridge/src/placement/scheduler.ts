/**
 * The scheduler: placement candidates (resource class, reservation, traits) then filters (capabilities,
 * cpu_arch). Unlike Nova's "No valid host was found", every rejected node comes back with its reasons — the
 * troubleshooting checklist (maintenance, not available, associated, power failure, resource class,
 * capability/trait mismatch) answered per node.
 */
import { NoValidHost } from '@anvil/sdk';
import type { Flavor, Image } from '../compute/types.ts';
import type { NodeView } from '../driver/node-view.ts';
import { nodeStats, unusableReasons } from '../driver/provider-tree.ts';
import { requestFor } from './flavor-request.ts';
import { matchesSpec } from './extra-spec-ops.ts';
import type { PlacementStore } from './store.ts';

export type ReasonCode = 'maintenance' | 'power_failure' | 'not_available' | 'associated' | 'allocated' | 'resource_class' | 'traits' | 'capabilities' | 'cpu_arch';

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface Rejection {
  node: string;
  reasons: Reason[];
}

export interface ScheduleResult {
  /** chosen node first, then alternates */
  hosts: string[];
  rejected: Rejection[];
}

export function nodeReasons(node: NodeView, req: ReturnType<typeof requestFor>, placement: PlacementStore, consumer?: string): Reason[] {
  const out: Reason[] = [];
  for (const msg of unusableReasons(node)) {
    const code: ReasonCode = msg === 'maintenance' ? 'maintenance' : msg.startsWith('power') ? 'power_failure' : 'not_available';
    out.push({ code, message: msg });
  }
  if (node.instance_uuid && node.instance_uuid !== consumer) out.push({ code: 'associated', message: `associated with instance ${node.instance_uuid}` });
  const holder = placement.consumerOf(node.uuid);
  if (holder && holder !== consumer && holder !== node.instance_uuid) out.push({ code: 'allocated', message: `allocated to instance ${holder}` });
  const p = placement.providers.get(node.uuid);
  if (!node.resource_class) out.push({ code: 'resource_class', message: 'node has no resource_class' });
  else if (p) {
    for (const rc of Object.keys(req.resources)) {
      if (!p.inventories[rc]) out.push({ code: 'resource_class', message: `resource class mismatch (node provides ${Object.keys(p.inventories).join(', ')}, flavor asks ${rc})` });
    }
  }
  const traits = new Set(node.traits);
  const missing = req.required.filter((t) => !traits.has(t));
  if (missing.length) out.push({ code: 'traits', message: `trait mismatch: node lacks required ${missing.join(', ')}` });
  const forbidden = req.forbidden.filter((t) => traits.has(t));
  if (forbidden.length) out.push({ code: 'traits', message: `trait mismatch: node has forbidden ${forbidden.join(', ')}` });
  const stats = nodeStats(node);
  for (const [k, want] of Object.entries(req.capabilities)) {
    if (!matchesSpec(stats[k], want)) {
      const code: ReasonCode = k === 'cpu_arch' ? 'cpu_arch' : 'capabilities';
      const what = k === 'cpu_arch' ? 'cpu_arch mismatch' : 'capability mismatch';
      out.push({ code, message: `${what}: ${k} wants ${want}, node has ${stats[k] ?? 'none'}` });
    }
  }
  return out;
}

export function schedule(flavor: Flavor, image: Image | undefined, nodes: NodeView[], placement: PlacementStore, consumer?: string): ScheduleResult {
  const req = requestFor(flavor, image);
  if (Object.keys(req.resources).length === 0) throw new NoValidHost(`No valid host was found. Flavor ${flavor.name} requests no resources (set resources:CUSTOM_<CLASS>=1)`);
  const hosts: string[] = [];
  const rejected: Rejection[] = [];
  for (const node of nodes) {
    const reasons = nodeReasons(node, req, placement, consumer);
    if (reasons.length) rejected.push({ node: node.uuid, reasons });
    else hosts.push(node.uuid);
  }
  return { hosts, rejected };
}

/** "No valid host was found." plus one line per node with its reasons. */
export function noValidHostMessage(r: ScheduleResult, names: Map<string, string> = new Map()): string {
  const lines = r.rejected.map((x) => `  ${names.get(x.node) ?? x.node}: ${x.reasons.map((y) => y.message).join('; ')}`);
  return `No valid host was found. There are not enough hosts available.${lines.length ? `\n${lines.join('\n')}` : ' (no nodes)'}`;
}

export class NoValidHostError extends NoValidHost {
  constructor(readonly result: ScheduleResult, names?: Map<string, string>) {
    super(noValidHostMessage(result, names));
  }
}
