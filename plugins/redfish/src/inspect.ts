/**
 * The `redfish` inspect interface (out of band): reads the System, its Processors, EthernetInterfaces and
 * Storage/Drives (or SimpleStorage), records the inventory (GET /v1/nodes/{node}/inventory), sets memory_mb,
 * cpu_arch, cpus, local_gb and the boot_mode capability, and creates a port per NIC MAC the node lacks.
 */
import { type InspectInterface, type InterfaceFactory, type JsonObject, type Task } from '@anvil/sdk';
import { type Json, link } from 'redfish-ts';
import { getSystem, type RedfishContext, redfishContext, rf } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { buildInventory, propertiesFrom } from './inventory.ts';

async function list(task: Task, ctx: RedfishContext, path: string | null, what: string): Promise<Json[]> {
  if (!path) return [];
  return rf(task, ctx.info, `list ${what}`, () => ctx.client.members(path));
}

/** Drives of the System's Storage, else SimpleStorage devices; a BMC failing to list them gives a warning and none. */
export async function redfishDisks(task: Task, ctx: RedfishContext, system: Json): Promise<Json[]> {
  try {
    return await readDisks(task, ctx, system);
  } catch (err) {
    task.log.warn(`Could not read the Storage of node ${task.node.uuid}; local_gb is not set: ${(err as Error).message}`);
    return [];
  }
}

async function readDisks(task: Task, ctx: RedfishContext, system: Json): Promise<Json[]> {
  const disks: Json[] = [];
  for (const st of await list(task, ctx, link(system, 'Storage'), 'Storage')) {
    const drives = Array.isArray(st.Drives) ? (st.Drives as Json[]) : [];
    for (const d of drives) {
      const id = d['@odata.id'];
      if (typeof id === 'string') disks.push(await rf(task, ctx.info, 'read a Drive', () => ctx.client.get(id)));
    }
  }
  if (disks.length) return disks;
  for (const ss of await list(task, ctx, link(system, 'SimpleStorage'), 'SimpleStorage')) {
    for (const dev of (ss.Devices ?? []) as Json[]) disks.push(dev);
  }
  return disks;
}

export class RedfishInspect implements InspectInterface {
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  async inspectHardware(task: Task): Promise<'done'> {
    const ctx = await redfishContext(task, this.config);
    const system = await getSystem(task, ctx);
    const [processors, nics, disks] = await Promise.all([
      list(task, ctx, link(system, 'Processors'), 'Processors'),
      list(task, ctx, link(system, 'EthernetInterfaces'), 'EthernetInterfaces'),
      redfishDisks(task, ctx, system),
    ]);
    const inventory = buildInventory({ system, processors, nics, disks });
    await task.saveNode({ properties: propertiesFrom(inventory, task.node.properties ?? {}) as JsonObject });
    await task.saveInventory?.(inventory as JsonObject, {});
    const have = new Set(task.ports.map((p) => p.address.toLowerCase()));
    for (const nic of inventory.interfaces as { mac_address: string }[]) {
      if (have.has(nic.mac_address)) continue;
      if (!task.createPort) break;
      await task.createPort({ address: nic.mac_address, pxe_enabled: true });
      have.add(nic.mac_address);
      task.log.info(`Port created for MAC address ${nic.mac_address} of node ${task.node.uuid}`);
    }
    return 'done';
  }
}

const factory: InterfaceFactory<'inspect'> = (config) => new RedfishInspect(config);
export default factory;
