/**
 * destroy: tear the node down (`target: deleted`) and wait, bounded, until Ironic has let go of the instance;
 * or just un-reserve a node that never got deployed. Then volume targets and VIFs are cleaned up.
 */
import type { Instance } from '../compute/types.ts';
import { done } from '../events/waiter.ts';
import { type DriverContext, nodePath } from './context.ts';
import { UNRESERVE_PATCH } from './instance-info.ts';
import { findByInstance } from './node-view.ts';
import { NovaTimeout } from './nova-errors.ts';
import { deleteVolumeTargets } from './spawn.ts';
import { unplugVifs } from './vifs.ts';

const UNPROVISION_STATES = new Set([
  'active',
  'deploy failed',
  'error',
  'wait call-back',
  'deploying',
  'rescue',
  'rescuing',
  'rescue wait',
  'rescue failed',
  'unrescuing',
  'unrescue failed',
]);
const RELEASED_STATES = new Set([null, 'cleaning', 'clean wait', 'clean failed', 'available']);

export async function destroy(ctx: DriverContext, instance: Instance): Promise<void> {
  const node = await findByInstance(ctx.client, instance.uuid);
  if (!node) return;
  if (node.provision_state && UNPROVISION_STATES.has(node.provision_state)) {
    await ctx.client.call('PUT', `${nodePath(node.uuid)}/states/provision`, { body: { target: 'deleted' } });
    await ctx.waiter.wait(
      node.uuid,
      async () => {
        const n = await findByInstance(ctx.client, instance.uuid);
        return !n || RELEASED_STATES.has(n.provision_state as never) ? done(true) : undefined;
      },
      {
        maxPolls: ctx.config.apiMaxRetries + 1,
        onTimeout: () => {
          throw new NovaTimeout(`Error destroying the instance on node ${node.uuid}: provision state still active after retries`);
        },
      },
    );
  } else {
    await ctx.client.call('PATCH', nodePath(node.uuid), { body: UNRESERVE_PATCH });
  }
  await deleteVolumeTargets(ctx, node.uuid);
  await unplugVifs(
    ctx,
    node.uuid,
    instance.nics.map((n) => n.port_id),
  );
}
