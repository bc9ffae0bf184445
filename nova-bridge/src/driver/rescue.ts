/** rescue (with the rescue password) and unrescue; both wait without a bound, failures carry last_error. */
import { done } from '../events/waiter.ts';
import { type DriverContext, nodePath } from './context.ts';
import { type NodeView, findByInstance, requireByInstance } from './node-view.ts';
import { InstanceRescueFailure, InstanceUnRescueFailure } from './nova-errors.ts';

function waitFor(ctx: DriverContext, nodeUuid: string, instanceUuid: string, want: string, failed: string, fail: (m: string) => Error) {
  return ctx.waiter.wait<NodeView>(nodeUuid, async () => {
    const n = await findByInstance(ctx.client, instanceUuid);
    if (!n) throw fail(`instance ${instanceUuid} is no longer on node ${nodeUuid}`);
    if (n.provision_state === want) return done(n);
    if (n.provision_state === failed) throw fail(`node ${nodeUuid}: ${n.last_error ?? failed}`);
    return undefined;
  });
}

export async function rescue(ctx: DriverContext, instanceUuid: string, rescuePassword: string): Promise<NodeView> {
  const node = await requireByInstance(ctx.client, instanceUuid);
  try {
    await ctx.client.call('PUT', `${nodePath(node.uuid)}/states/provision`, { body: { target: 'rescue', rescue_password: rescuePassword } });
  } catch (err) {
    throw new InstanceRescueFailure(`cannot rescue instance ${instanceUuid}: ${(err as Error).message}`);
  }
  return waitFor(ctx, node.uuid, instanceUuid, 'rescue', 'rescue failed', (m) => new InstanceRescueFailure(m));
}

export async function unrescue(ctx: DriverContext, instanceUuid: string): Promise<NodeView> {
  const node = await requireByInstance(ctx.client, instanceUuid);
  try {
    await ctx.client.call('PUT', `${nodePath(node.uuid)}/states/provision`, { body: { target: 'unrescue' } });
  } catch (err) {
    throw new InstanceUnRescueFailure(`cannot unrescue instance ${instanceUuid}: ${(err as Error).message}`);
  }
  return waitFor(ctx, node.uuid, instanceUuid, 'active', 'unrescue failed', (m) => new InstanceUnRescueFailure(m));
}
