/** _wait_for_active: spawn and rebuild wait, without a time bound, until the node is active or fails. */
import { done } from '../events/waiter.ts';
import type { DriverContext } from './context.ts';
import { type NodeView, findByInstance } from './node-view.ts';
import { InstanceDeployFailure, InstanceNotFound } from './nova-errors.ts';

export function waitForActive(ctx: DriverContext, nodeUuid: string, instanceUuid: string, signal?: AbortSignal): Promise<NodeView> {
  return ctx.waiter.wait(nodeUuid, async () => {
    if (signal?.aborted) throw new InstanceNotFound(`instance ${instanceUuid} was deleted during deploy`);
    const node = await findByInstance(ctx.client, instanceUuid);
    if (!node) throw new InstanceNotFound(`instance ${instanceUuid} is no longer associated with a node`);
    if (node.provision_state === 'active') return done(node);
    if (node.provision_state === 'deploy failed')
      throw new InstanceDeployFailure(`Failed to provision instance ${instanceUuid}: ${node.last_error ?? 'unknown error'}`);
    if (node.provision_state === null || node.provision_state === 'available' || node.target_provision_state === 'deleted' || node.target_provision_state === 'available')
      throw new InstanceNotFound(`instance ${instanceUuid} provisioning was aborted (node ${node.provision_state} → ${node.target_provision_state})`);
    return undefined;
  });
}
