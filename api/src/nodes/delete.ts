/** DELETE /v1/nodes/{node}: Ironic's rules (protected 403, associated 409, state 409, lock 409). */
import { InvalidState, NodeAssociated, NodeLocked, NodeProtected } from '@anvil/sdk';
import type { ApiContext, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';

const DELETE_ALLOWED_STATES = ['manageable', 'enroll', 'adopt failed'];

export async function deleteNode(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  const node = await getNode(deps.db, ident, ctx.state.minor);
  if (node.reservation)
    throw new NodeLocked(`Node ${node.uuid} is locked by host ${node.reservation}, please retry after the current operation is completed.`);
  if (node.protected) throw new NodeProtected(`Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`);
  if (!node.maintenance) {
    if (node.instance_uuid) throw new NodeAssociated(`Node ${node.uuid} is associated with instance ${node.instance_uuid}.`);
    const allowed = [...DELETE_ALLOWED_STATES];
    if (deps.settings.allow_deleting_available_nodes) allowed.push('available');
    if (!allowed.includes(node.provision_state))
      throw new InvalidState(`Can not delete node "${node.uuid}" while it is in provision state "${node.provision_state}". Valid provision states to start deletion are: ${allowed.join(', ')}, or the node must be in maintenance mode.`);
  }
  await deps.db.nodes.destroy(node.uuid);
  ctx.status = 204;
}
