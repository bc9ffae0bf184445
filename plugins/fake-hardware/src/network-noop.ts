/**
 * Ironic's "noop" network interface: no network switching. VIFs are still recorded like Ironic's
 * VIFPortIDMixin: on a port's (or portgroup's) internal_info.tenant_vif_port_id, so Nova's attach/detach works.
 * Needs the task's savePort/savePortgroup (conductor) for attach/detach.
 */
import {
  Conflict,
  DriverOperationError,
  type InterfaceFactory,
  type JsonObject,
  type NetworkInterface,
  NotFound,
  type PortgroupRecord,
  type PortRecord,
  type Task,
} from '@anvil/sdk';

const KEY = 'tenant_vif_port_id';
type Holder = { kind: 'port'; rec: PortRecord } | { kind: 'portgroup'; rec: PortgroupRecord };

function holders(task: Task): Holder[] {
  return [
    ...task.portgroups.map((rec) => ({ kind: 'portgroup' as const, rec })),
    ...task.ports.map((rec) => ({ kind: 'port' as const, rec })),
  ];
}

async function save(task: Task, h: Holder, internal: JsonObject): Promise<void> {
  if (h.kind === 'port') {
    if (!task.savePort) throw new DriverOperationError('this conductor cannot update ports (task.savePort missing)');
    await task.savePort(h.rec.uuid, { internal_info: internal });
  } else {
    if (!task.savePortgroup) throw new DriverOperationError('this conductor cannot update portgroups (task.savePortgroup missing)');
    await task.savePortgroup(h.rec.uuid, { internal_info: internal });
  }
}

export class NoopNetwork implements NetworkInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async vifList(task: Task): Promise<{ id: string }[]> {
    const out: { id: string }[] = [];
    for (const h of holders(task)) {
      const id = h.rec.internal_info[KEY];
      if (typeof id === 'string') out.push({ id });
    }
    return out;
  }
  async vifAttach(task: Task, vif: { id: string; port_uuid?: string; portgroup_uuid?: string } & JsonObject): Promise<void> {
    const all = holders(task);
    // Ironic's noop network accepts every attach and detach as a no-op; Anvil's records VIFs on free ports (so
    // Nova and `baremetal node vif list` see them) and keeps Ironic's answers for the cases it cannot record.
    if (all.some((h) => h.rec.internal_info[KEY] === vif.id)) return;
    let target: Holder | undefined;
    if (vif.port_uuid || vif.portgroup_uuid) {
      target = all.find((h) => h.rec.uuid === (vif.port_uuid ?? vif.portgroup_uuid));
      if (!target) throw new NotFound(`Port ${vif.port_uuid ?? vif.portgroup_uuid} could not be found.`);
      if (typeof target.rec.internal_info[KEY] === 'string') {
        throw new Conflict(`Port ${target.rec.uuid} already has VIF ${target.rec.internal_info[KEY]} attached.`);
      }
    } else {
      // Free portgroups first, then free ports not in a portgroup, pxe-enabled ones first.
      const free = all.filter(
        (h) => typeof h.rec.internal_info[KEY] !== 'string' && (h.kind === 'portgroup' || h.rec.portgroup_id === null),
      );
      free.sort((a, b) => rank(a) - rank(b));
      target = free[0];
    }
    if (!target) {
      task.log.warn('noop network: no free port to record the VIF on; accepted without recording, as Ironic does', { vif: vif.id });
      return;
    }
    await save(task, target, { ...target.rec.internal_info, [KEY]: vif.id });
  }
  async vifDetach(task: Task, vifId: string): Promise<void> {
    const h = holders(task).find((x) => x.rec.internal_info[KEY] === vifId);
    if (!h) return; // Ironic's noop detach is a no-op for any VIF id
    const internal = { ...h.rec.internal_info };
    delete internal[KEY];
    await save(task, h, internal);
  }
  async addProvisioningNetwork(_task: Task): Promise<void> {}
  async removeProvisioningNetwork(_task: Task): Promise<void> {}
  async configureTenantNetworks(_task: Task): Promise<void> {}
  async unconfigureTenantNetworks(_task: Task): Promise<void> {}
  async addCleaningNetwork(_task: Task): Promise<void> {}
  async removeCleaningNetwork(_task: Task): Promise<void> {}
  async addRescuingNetwork(_task: Task): Promise<void> {}
  async removeRescuingNetwork(_task: Task): Promise<void> {}
  getCurrentVif(_task: Task, holder: PortRecord | PortgroupRecord): string | null {
    const id = holder.internal_info[KEY];
    return typeof id === 'string' ? id : null;
  }
}

function rank(h: Holder): number {
  if (h.kind === 'portgroup') return 0;
  return h.rec.pxe_enabled ? 1 : 2;
}

const factory: InterfaceFactory<'network'> = () => new NoopNetwork();
export default factory;
