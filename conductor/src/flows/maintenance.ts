/**
 * Maintenance on/off (Ironic API _set_maintenance → conductor update_node under the exclusive lock).
 * Clearing maintenance also clears maintenance_reason and fault.
 */
import type { ConductorContext } from '../context.ts';
import { withTask } from '../task/task.ts';

export async function setMaintenance(ctx: ConductorContext, uuid: string, on: boolean, reason?: string | null): Promise<void> {
  await withTask(ctx, uuid, { purpose: on ? 'setting maintenance' : 'clearing maintenance' }, async (task) => {
    if (on) await task.saveNode({ maintenance: true, maintenance_reason: reason ?? null });
    else await task.saveNode({ maintenance: false, maintenance_reason: null, fault: null });
    task.publish('maintenance');
  });
}
