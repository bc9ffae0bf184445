/**
 * Inspection (Ironic inspect_hardware): manageable/inspect failed → inspecting; the inspect interface finishes
 * (→ manageable) or waits for an external inspector (→ inspect wait). Abort from inspect wait → inspect failed.
 */
import { InvalidStateRequested, UnsupportedDriverExtension } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage, isActionable } from '../states/table.ts';
import { syncPxeFilterSafely } from '../periodic/pxe-filter.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { cacheFirmwareComponents, errText, safely, validateKinds } from './common.ts';

const now = () => new Date().toISOString();

export async function inspectHardware(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'inspect hardware' }, async (task) => {
    if (!isActionable(task.node.provision_state, 'inspect')) {
      throw new InvalidStateRequested(invalidStateMessage('inspect', task.node.uuid, task.node.provision_state));
    }
    await validateKinds(task, ['power', 'inspect'], `Failed to validate inspection or power info for node ${task.node.uuid}`);
    await task.processEvent('inspect', {
      callback: inspectWorker,
      fields: { inspection_started_at: now(), inspection_finished_at: null },
    });
  });
}

async function inspectWorker(task: TaskManager): Promise<void> {
  // the PXE filter lets the node's MACs boot before it is powered on ([pxe_filter] dnsmasq)
  await syncPxeFilterSafely(task.ctx);
  try {
    const outcome = await task.driver.get('inspect').inspectHardware(task);
    if (outcome === 'wait') await task.processEvent('wait');
    else {
      await cacheFirmwareComponents(task);
      await task.processEvent('done', { fields: { inspection_finished_at: now(), inspection_started_at: null } });
    }
  } catch (err) {
    const msg = `Failed to inspect hardware. Reason: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'inspection failure handling', () =>
      task.processEvent('fail', { lastError: msg, fields: { inspection_started_at: null } }),
    );
  }
  if (task.node.provision_state !== 'inspect wait') await syncPxeFilterSafely(task.ctx);
}

/** `abort` from inspect wait: the inspect interface must support abort (else 400). */
export async function abortInspection(task: TaskManager): Promise<void> {
  const inspect = task.driver.get('inspect');
  if (!inspect.abort) {
    throw new UnsupportedDriverExtension(`Driver ${task.node.driver} does not support abort (disabled or not implemented).`);
  }
  await inspect.abort(task);
  // Ironic 39's _do_inspect_abort: the error is recorded (event type `introspection`) before the move
  const error = 'Inspection was aborted by request.';
  await task.saveNode({ last_error: error });
  await task.history(error, 'ERROR', 'introspection');
  await task.processEvent('abort', { lastError: error, fields: { inspection_started_at: null }, history: false });
  await syncPxeFilterSafely(task.ctx);
}
