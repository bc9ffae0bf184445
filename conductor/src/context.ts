/** Everything a conductor's tasks, flows and periodic jobs share. */
import type { Database } from '@anvil/db';
import type { DriverRegistry, Settings } from '@anvil/sdk';
import type { NodeEvents } from './events.ts';
import type { Logger } from './log.ts';
import type { Workers } from './task/workers.ts';
import type { HashRings } from './hash-ring.ts';

export interface ConductorContext {
  hostname: string;
  group: string;
  settings: Settings;
  db: Database;
  registry: DriverRegistry;
  events: NodeEvents;
  log: Logger;
  /** Background work started by tasks (spawn_after); lets stop() and tests wait for idle. */
  workers: Workers;
  /** Hash rings of the alive conductors (cached; force rebuilds). */
  rings(force?: boolean): Promise<HashRings>;
}

/** Whether this conductor owns the node by the hash ring. */
export async function ownsNode(ctx: ConductorContext, node: { uuid: string; driver: string; conductor_group: string }): Promise<boolean> {
  return (await ctx.rings()).ownerOf(node) === ctx.hostname;
}

/** Seconds setting with a fallback. */
export function seconds(settings: Settings, key: string, fallback: number): number {
  const v = Number((settings as Record<string, unknown>)[key]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}
