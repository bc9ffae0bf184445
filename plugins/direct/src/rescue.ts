/**
 * Ironic's `agent` rescue interface: rescue powers off, drops the instance boot and tenant networks, boots the
 * rescue ramdisk (boot interface, rescue_kernel/rescue_ramdisk) on the rescuing network → rescue wait; the
 * heartbeat finalizes (rescue-finalize.ts). unrescue boots the instance again; cleanUp drops the rescue ramdisk.
 */
import { type InterfaceFactory, PowerState, type RescueInterface, type Task } from '@anvil/sdk';
import { powerAction } from './node-power.ts';

export class AgentRescue implements RescueInterface {
  getProperties() {
    return {
      rescue_kernel: 'UUID (from Glance) or URL of the rescue kernel. Required for rescue.',
      rescue_ramdisk: 'UUID (from Glance) or URL of the rescue ramdisk with agent that is used at node rescue time. Required for rescue.',
    };
  }

  async validate(task: Task): Promise<void> {
    const boot = task.driver.get('boot');
    if (boot.validateRescue) await boot.validateRescue(task);
  }

  async rescue(task: Task): Promise<'done' | 'wait'> {
    await powerAction(task, PowerState.OFF);
    const boot = task.driver.get('boot');
    const net = task.driver.get('network');
    await boot.cleanUpInstance(task);
    await net.unconfigureTenantNetworks(task);
    if (net.addRescuingNetwork) await net.addRescuingNetwork(task);
    await boot.prepareRamdisk(task, {});
    await powerAction(task, PowerState.ON);
    return 'wait';
  }

  async unrescue(task: Task): Promise<void> {
    await powerAction(task, PowerState.OFF);
    await this.cleanUp(task);
    await task.driver.get('network').configureTenantNetworks(task);
    await task.driver.get('boot').prepareInstance(task);
    await powerAction(task, PowerState.ON);
  }

  async cleanUp(task: Task): Promise<void> {
    await task.driver.get('boot').cleanUpRamdisk(task);
    const net = task.driver.get('network');
    if (net.removeRescuingNetwork) await net.removeRescuingNetwork(task);
  }
}

const factory: InterfaceFactory<'rescue'> = () => new AgentRescue();
export default factory;
