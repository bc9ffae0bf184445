/**
 * Ironic's `flat` network interface: one flat network for everything. With Neutron configured (neutron_url) the
 * tenant VIF ports are bound to the node while it provisions (binding:host_id, vnic_type baremetal) and cleaning
 * ports are created on cleaning_network when one is set; without Neutron it only records VIFs, like noop.
 */
import type { InterfaceFactory, Task } from '@anvil/sdk';
import { NoopNetwork } from '@anvil/plugin-fake-hardware';
import { neutronFor } from './neutron-client.ts';
import { allAttachables, bindingBody, pxeAttachables, saveInternal } from './port-binding.ts';

export class FlatNetwork extends NoopNetwork {
  constructor(readonly config: Readonly<Record<string, unknown>> = {}) {
    super();
  }

  private cfg(task: Task): Record<string, unknown> {
    return { ...this.config, ...task.config };
  }

  override getProperties() {
    return { cleaning_network: 'Name or UUID of the network to use for cleaning. Optional; defaults to [neutron]cleaning_network.' };
  }

  /** Bind the tenant VIFs on the flat network to the node (Ironic _bind_flat_ports). */
  override async addProvisioningNetwork(task: Task): Promise<void> {
    const client = neutronFor(this.cfg(task));
    if (!client) return;
    for (const a of allAttachables(task)) {
      const vif = a.rec.internal_info.tenant_vif_port_id;
      if (typeof vif === 'string') await client.updatePort(vif, bindingBody(task, a, false));
    }
  }

  override async removeProvisioningNetwork(task: Task): Promise<void> {
    const client = neutronFor(this.cfg(task));
    if (!client) return;
    for (const a of allAttachables(task)) {
      const vif = a.rec.internal_info.tenant_vif_port_id;
      if (typeof vif === 'string') await client.updatePort(vif, { 'binding:host_id': '', 'binding:profile': {} });
    }
  }

  override async addCleaningNetwork(task: Task): Promise<void> {
    const client = neutronFor(this.cfg(task));
    const network = task.node.driver_info.cleaning_network ?? this.cfg(task).cleaning_network;
    if (!client || typeof network !== 'string' || !network) return;
    await this.removeCleaningNetwork(task);
    for (const a of pxeAttachables(task)) {
      const port = await client.createPort({ network_id: network, admin_state_up: true, ...bindingBody(task, a, false) });
      await saveInternal(task, a, { cleaning_vif_port_id: port.id });
    }
  }

  override async removeCleaningNetwork(task: Task): Promise<void> {
    const holders = allAttachables(task).filter((a) => typeof a.rec.internal_info.cleaning_vif_port_id === 'string');
    const client = neutronFor(this.cfg(task));
    if (!holders.length || !client) return;
    for (const a of holders) {
      await client.deletePort(a.rec.internal_info.cleaning_vif_port_id as string);
      await saveInternal(task, a, { cleaning_vif_port_id: null });
    }
  }
}

const factory: InterfaceFactory<'network'> = (config) => new FlatNetwork(config);
export default factory;
