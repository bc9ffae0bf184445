/** Node values the API computes at render time: serving conductor (1.49) and allocation UUID (1.52). */
import { AnvilError, type ConductorApi, type NodeRoute } from '@anvil/sdk';
import type { NodeView } from '@anvil/db';
import type { RouteDeps } from '../context.ts';
import type { NodeRenderExtras } from '../render/node.ts';

/** Optional hook the conductor package provides: which conductor serves a node (hash ring). */
export type ConductorForNode = (node: NodeView) => string | null;

/** True when nodeExtras must read the database for this node (its allocation's uuid). */
export function extrasNeedLookup(node: NodeView, minor: number, fields?: string[]): boolean {
  return minor >= 52 && node.allocation_id !== null && node.allocation_id !== undefined && (fields === undefined || fields.includes('allocation_uuid'));
}

/** The conductor that serves the node (the `conductor` field and the `?conductor=` list filter). */
export function servingConductor(deps: RouteDeps, node: NodeView): string | null {
  const hook = deps.conductorForNode as ConductorForNode | undefined;
  return hook ? hook(node) : (deps.settings.hostname as string);
}

/** The extras that need no database read (the serving conductor); list rendering uses it for most nodes. */
export function nodeExtrasNow(deps: RouteDeps, node: NodeView, minor: number, fields?: string[]): NodeRenderExtras {
  const out: NodeRenderExtras = {};
  if (minor >= 49 && (fields === undefined || fields.includes('conductor'))) out.conductor = servingConductor(deps, node);
  return out;
}

export async function nodeExtras(deps: RouteDeps, node: NodeView, minor: number, fields?: string[]): Promise<NodeRenderExtras> {
  const out = nodeExtrasNow(deps, node, minor, fields);
  if (minor >= 52 && node.allocation_id !== null && (fields === undefined || fields.includes('allocation_uuid'))) {
    try {
      out.allocationUuid = (await deps.db.allocations.get(node.allocation_id)).uuid;
    } catch (e) {
      if (!(AnvilError.is(e) && e.status === 404)) throw e;
      out.allocationUuid = null;
    }
  }
  return out;
}

/** With a conductor facade present: NoValidHost (400) unless an alive conductor serves the driver in the group. */
export async function checkServed(deps: RouteDeps, node: NodeRoute): Promise<void> {
  const conductor = deps.conductor as Partial<Pick<ConductorApi, 'hostFor'>> | undefined;
  if (typeof conductor?.hostFor === 'function') await conductor.hostFor(node);
}
