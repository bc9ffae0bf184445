/**
 * Node history cleanup (Ironic's _manage_node_history): every node keeps its newest node_history_max_entries
 * entries; older ones are deleted, at most node_history_cleanup_batch_count per run, so recording an event
 * stays one INSERT.
 */
import type { ConductorContext } from '../context.ts';

export async function cleanNodeHistory(ctx: ConductorContext): Promise<number> {
  const max = Number(ctx.settings.node_history_max_entries ?? 300);
  const batch = Number(ctx.settings.node_history_cleanup_batch_count ?? 1000);
  if (!(max >= 0) || !(batch > 0)) return 0;
  const deleted = await ctx.db.history.pruneAll(max, batch);
  if (deleted) ctx.log.info('node history cleanup', { deleted });
  return deleted;
}
