/**
 * Ironic's `neutron` network interface: separate provisioning / cleaning / rescuing networks. Adding one creates a
 * Neutron port per pxe-enabled Ironic port (portgroups first) bound to the node (binding:host_id, vnic_type
 * baremetal, local_link_information) and records its id in internal_info (<kind>_vif_port_id); removing deletes
 * them. Tenant VIFs are bound on configureTenantNetworks and unbound on unconfigure.
 */
import { type InterfaceFactory, MissingParameterValue, type Task } from '@anvil/sdk';
import { NoopNetwork } from '@anvil/plugin-fake-hardware';
import { type NeutronClient, neutronFor } from './neutron-client.ts';
import { allAttachables, bindingBody, pxeAttachables, saveInternal } from './port-binding.ts';

type NetKind = 'provisioning' | 'cleaning' | 'rescuing';

export class NeutronNetwork extends NoopNetwork {
  constructor(readonly config: Readonly<Record<string, unknown>> = {}) {
    super();
  }

  override getProperties() {
    return {
      provisioning_network: 'Name or UUID of the network to use for provisioning. Optional; defaults to [neutron]provisioning_network.',
      cleaning_network: 'Name or UUID of the network to use for cleaning. Optional; defaults to [neutron]cleaning_network.',
      rescuing_network: 'Name or UUID of the network to use for rescuing. Optional; defaults to [neutron]rescuing_network.',
    };
  }

  protected cfg(task: Task): Record<string, unknown> {
    return { ...this.config, ...task.config };
  }

  protected client(task: Task): NeutronClient {
    const c = neutronFor(this.cfg(task));
    if (!c) throw new MissingParameterValue('The neutron network interface needs the neutron_url setting');
    return c;
  }

  protected networkFor(task: Task, kind: NetKind): string {
    const v = task.node.driver_info[`${kind}_network`] ?? this.cfg(task)[`${kind}_network`];
    if (typeof v !== 'string' || !v) throw new MissingParameterValue(`Missing ${kind} network: set driver_info.${kind}_network or the ${kind}_network setting`);
    return v;
  }

  override async validate(task: Task): Promise<void> {
    this.client(task);
    this.networkFor(task, 'provisioning');
    this.networkFor(task, 'cleaning');
  }

  protected async addNetwork(task: Task, kind: NetKind): Promise<void> {
    const client = this.client(task);
    const network = this.networkFor(task, kind);
    const key = `${kind}_vif_port_id`;
    await this.removeNetwork(task, kind);
    for (const a of pxeAttachables(task)) {
      const port = await client.createPort({
        network_id: network,
        admin_state_up: true,
        name: `${task.node.uuid}-${a.rec.uuid}-${kind}`,
        ...bindingBody(task, a, true),
      });
      await saveInternal(task, a, { [key]: port.id });
      task.log.info(`Created ${kind} port ${port.id} on network ${network} for ${a.kind} ${a.rec.uuid} of node ${task.node.uuid}`);
    }
  }

  protected async removeNetwork(task: Task, kind: NetKind): Promise<void> {
    const key = `${kind}_vif_port_id`;
    const holders = allAttachables(task).filter((a) => typeof a.rec.internal_info[key] === 'string');
    if (!holders.length) return;
    const client = this.client(task);
    for (const a of holders) {
      await client.deletePort(a.rec.internal_info[key] as string);
      await saveInternal(task, a, { [key]: null });
    }
  }

  override addProvisioningNetwork(task: Task) {
    return this.addNetwork(task, 'provisioning');
  }
  override removeProvisioningNetwork(task: Task) {
    return this.removeNetwork(task, 'provisioning');
  }
  override addCleaningNetwork(task: Task) {
    return this.addNetwork(task, 'cleaning');
  }
  override removeCleaningNetwork(task: Task) {
    return this.removeNetwork(task, 'cleaning');
  }
  override addRescuingNetwork(task: Task) {
    return this.addNetwork(task, 'rescuing');
  }
  override removeRescuingNetwork(task: Task) {
    return this.removeNetwork(task, 'rescuing');
  }

  override async configureTenantNetworks(task: Task): Promise<void> {
    const client = this.client(task);
    for (const a of allAttachables(task)) {
      const vif = a.rec.internal_info.tenant_vif_port_id;
      if (typeof vif === 'string') await client.updatePort(vif, bindingBody(task, a, true));
    }
  }

  override async unconfigureTenantNetworks(task: Task): Promise<void> {
    const vifs = allAttachables(task).map((a) => a.rec.internal_info.tenant_vif_port_id).filter((v): v is string => typeof v === 'string');
    if (!vifs.length) return;
    const client = this.client(task);
    for (const vif of vifs) await client.updatePort(vif, { 'binding:host_id': '', 'binding:profile': {} });
  }
}

const factory: InterfaceFactory<'network'> = (config) => new NeutronNetwork(config);
export default factory;
