/** reboot (soft with hard fallback on 400), power_off (optional soft with timeout, then hard), power_on. */
import { IronicHttpError } from '../client/http-error.ts';
import { done } from '../events/waiter.ts';
import { type DriverContext, nodePath } from './context.ts';
import { type NodeView, getNode, requireByInstance } from './node-view.ts';

async function setPower(ctx: DriverContext, nodeUuid: string, target: string, timeout?: number): Promise<void> {
  const body: Record<string, unknown> = { target };
  if (timeout) body.timeout = timeout;
  await ctx.client.call('PUT', `${nodePath(nodeUuid)}/states/power`, { body });
}

/** wait until no power transition is in progress (target_power_state null). */
export function waitForPower(ctx: DriverContext, nodeUuid: string, instanceUuid: string): Promise<NodeView> {
  return ctx.waiter.wait(nodeUuid, async () => {
    const n = await requireByInstance(ctx.client, instanceUuid);
    return n.target_power_state === null ? done(n) : undefined;
  });
}

export async function reboot(ctx: DriverContext, instanceUuid: string, hard = false): Promise<NodeView> {
  const node = await requireByInstance(ctx.client, instanceUuid);
  if (!hard) {
    try {
      await setPower(ctx, node.uuid, 'soft rebooting');
    } catch (err) {
      if (!IronicHttpError.is(err, 400)) throw err;
      hard = true; // the power interface cannot soft reboot: fall back as Nova does
    }
  }
  if (hard) await setPower(ctx, node.uuid, 'rebooting');
  return waitForPower(ctx, node.uuid, instanceUuid);
}

export async function powerOff(ctx: DriverContext, instanceUuid: string, timeoutSec = 0): Promise<NodeView> {
  const node = await requireByInstance(ctx.client, instanceUuid);
  if (timeoutSec > 0) {
    try {
      await setPower(ctx, node.uuid, 'soft power off', timeoutSec);
      await waitForPower(ctx, node.uuid, instanceUuid);
      const after = await getNode(ctx.client, node.uuid);
      if (after.power_state === 'power off') return after;
    } catch {
      /* soft power off unsupported or failed: hard below */
    }
  }
  await setPower(ctx, node.uuid, 'power off');
  return waitForPower(ctx, node.uuid, instanceUuid);
}

export async function powerOn(ctx: DriverContext, instanceUuid: string): Promise<NodeView> {
  const node = await requireByInstance(ctx.client, instanceUuid);
  await setPower(ctx, node.uuid, 'power on');
  return waitForPower(ctx, node.uuid, instanceUuid);
}
