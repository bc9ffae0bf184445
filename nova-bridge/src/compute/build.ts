/**
 * Building one instance, as Nova's conductor + scheduler + compute manager do it: select_destinations (claim
 * + alternates), then on the claimed node reserve → plug VIFs → spawn → ACTIVE. A failed attempt (node taken,
 * deploy failed, refused) is rolled back — node torn down and un-reserved, claim released, instance fault
 * recorded — and the build moves to the next alternate, claimed first; after max_attempts the instance goes to
 * ERROR with MaxRetriesExceeded. `resumeBuild` continues a build whose compute service died (or restarted).
 */
import { AnvilError, UnexpectedTaskState } from '@anvil/sdk';
import { configDriveFor, wantsConfigDrive } from '../configdrive/build.ts';
import { getNode, novaPowerState } from '../driver/node-view.ts';
import { ComputeResourcesUnavailable } from '../driver/nova-errors.ts';
import { waitForActive } from '../driver/wait-active.ts';
import { requestFor } from '../placement/flavor-request.ts';
import { NoValidHostError } from '../placement/scheduler.ts';
import { claimNode, selectDestinations } from '../placement/select.ts';
import type { ComputeManager } from './manager.ts';
import type { Instance } from './types.ts';

/** Nova's MaxRetriesExceeded (a NoValidHost): every host of the selection failed the build */
export class MaxRetriesExceeded extends AnvilError {
  constructor(message: string) {
    super(message, 'MaxRetriesExceeded', 500);
  }
}

type Step = 'reserve' | 'vifs' | 'wait';

const codeOf = (err: unknown) => (AnvilError.is(err) ? err.code : (err as Error).name);

/** record the fault (instance_faults row + the record's `fault`) and leave the instance in ERROR */
export async function failBuild(m: ComputeManager, inst: Instance, err: Error): Promise<Instance> {
  if (m.stopping) throw err; // the service is stopping: the build stays BUILD and is resumed later
  const fault = { code: codeOf(err), message: err.message };
  // NoValidHost: the per-node reasons as JSON in the fault's details
  const details = err instanceof NoValidHostError ? JSON.stringify(err.result.rejected) : undefined;
  await m.store.addFault(inst.uuid, { code: AnvilError.is(err) && err.status === 404 ? 404 : 500, name: fault.code, message: err.message, details, host: m.host });
  return m.store.update(inst.uuid, { status: 'ERROR', task_state: null, fault }, { host: m.host });
}

async function spawnOn(m: ComputeManager, inst: Instance, node: string, from: Step): Promise<Instance> {
  let active: Awaited<ReturnType<typeof waitForActive>>;
  if (from === 'wait') active = await waitForActive(m.driver.ctx, node, inst.uuid);
  else {
    if (from === 'reserve') await m.driver.prepareForSpawn(inst, node);
    await m.driver.plugVifs(inst, node);
    active = await m.driver.spawn(inst, node, wantsConfigDrive(inst) ? configDriveFor(inst) : undefined);
  }
  const launched_at = new Date().toISOString();
  return m.store.update(inst.uuid, { status: 'ACTIVE', task_state: null, power_state: novaPowerState(active.power_state), launched_at, fault: null }, { host: m.host });
}

/** undo a failed attempt: tear down / un-reserve the node (unless it was never ours), drop the claim, fault */
async function rollback(m: ComputeManager, inst: Instance, err: Error): Promise<void> {
  if (!(err instanceof ComputeResourcesUnavailable)) await m.driver.destroy(inst).catch(() => {});
  await m.store.db.placement.deleteAllocations(inst.uuid);
  await m.store.addFault(inst.uuid, { code: 500, name: codeOf(err), message: err.message, host: m.host });
}

async function attempts(m: ComputeManager, start: Instance, hosts: string[], firstClaimed: boolean, from: Step = 'reserve'): Promise<Instance> {
  let inst = start;
  let last: Error | null = null;
  const resources = requestFor(inst.flavor, inst.image).resources;
  for (let i = 0; i < hosts.length; i++) {
    const node = hosts[i];
    if ((i > 0 || !firstClaimed) && !(await claimNode(m.store.db, inst.uuid, node, resources).catch(() => false))) {
      last = new ComputeResourcesUnavailable(`alternate ${node} was claimed by another build`);
      continue;
    }
    inst = await m.store.update(inst.uuid, { node, task_state: 'spawning' }, { host: m.host });
    try {
      return await spawnOn(m, inst, node, i === 0 ? from : 'reserve');
    } catch (err) {
      if (err instanceof UnexpectedTaskState || m.stopping) throw err; // moved to another compute service / stopping
      last = err as Error;
      await rollback(m, inst, last);
      inst = await m.store.update(inst.uuid, { node: null, task_state: 'scheduling' }, { host: m.host });
    }
  }
  const why = last ? ` Last error: ${codeOf(last)}: ${last.message}` : '';
  const err = new MaxRetriesExceeded(`Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${inst.uuid}.${why}`);
  await failBuild(m, inst, err);
  throw err;
}

export async function buildInstance(m: ComputeManager, inst: Instance): Promise<Instance> {
  let hosts: string[];
  const started = Date.now();
  const select = async (fresh: boolean) => {
    const nodes = fresh ? await m.tracker.sync() : await m.tracker.fresh(m.nodeListMaxAgeMs);
    return selectDestinations(m.store.db, nodes, { consumer: inst.uuid, flavor: inst.flavor, image: inst.image }, { maxAttempts: m.maxAttempts });
  };
  try {
    // a node list read before this request may miss nodes made available since: No valid host only on a fresh one
    const sel = await select(false).catch((err) => {
      if (err instanceof NoValidHostError && m.tracker.syncedAt < started) return select(true);
      throw err;
    });
    m.lastSchedule = sel.result;
    hosts = sel.hosts;
  } catch (err) {
    if (err instanceof NoValidHostError) m.lastSchedule = err.result;
    await failBuild(m, inst, err as Error);
    throw err;
  }
  return attempts(m, inst, hosts, true);
}

const IN_PROGRESS = new Set(['deploying', 'wait call-back', 'deploy', 'deploy wait']);

/**
 * A BUILD instance this service now manages, whose build was cut off: go on from where the node is — active →
 * ACTIVE; deploying → wait; reserved or still ours to reserve → continue; otherwise schedule it again.
 */
export async function resumeBuild(m: ComputeManager, inst: Instance): Promise<Instance> {
  const claim = await m.store.db.placement.consumerAllocations(inst.uuid);
  const claimed = inst.node !== null && Boolean(claim.allocations[inst.node]);
  if (inst.task_state === 'spawning' && inst.node && claimed) {
    const node = await getNode(m.driver.ctx.client, inst.node).catch(() => null);
    if (node?.instance_uuid === inst.uuid) {
      if (node.provision_state === 'active') {
        return m.store.update(inst.uuid, { status: 'ACTIVE', task_state: null, power_state: novaPowerState(node.power_state), launched_at: new Date().toISOString() }, { host: m.host });
      }
      if (IN_PROGRESS.has(node.provision_state ?? '')) return attempts(m, inst, [inst.node], true, 'wait');
      if (node.provision_state === 'available') return attempts(m, inst, [inst.node], true, 'vifs');
    } else if (node && !node.instance_uuid) return attempts(m, inst, [inst.node], true, 'reserve');
  }
  await m.driver.destroy(inst).catch(() => {});
  await m.store.db.placement.deleteAllocations(inst.uuid);
  const again = await m.store.update(inst.uuid, { node: null, task_state: 'scheduling' }, { host: m.host });
  return buildInstance(m, again);
}
