/**
 * The `ipmitool` power interface (Ironic's name), spoken natively: Chassis Status / Chassis Control over RMCP+.
 * Power changes are confirmed by polling until the BMC reports the target state. Soft power off (ACPI) falls back
 * to a hard power off when the OS has not shut down within the soft power off timeout.
 */
import {
  type InterfaceFactory,
  InvalidParameterValue,
  type PowerInterface,
  PowerState,
  PowerStateFailure,
  type Task,
} from '@anvil/sdk';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { type IpmiContext, ipmiCall, ipmiContext } from './ipmi-call.ts';
import { applyForcedBootDevice } from './management.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const SUPPORTED = [PowerState.ON, PowerState.OFF, PowerState.REBOOT, PowerState.SOFT_REBOOT, PowerState.SOFT_POWER_OFF];

export class IpmitoolPower implements PowerInterface {
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  async getPowerState(task: Task): Promise<string> {
    const ctx = await ipmiContext(task, this.config);
    const on = await ipmiCall(task, 'get power status', async () => (await ctx.client.chassisStatus()).powerOn);
    return on ? PowerState.ON : PowerState.OFF;
  }

  async getSupportedPowerStates(_task: Task): Promise<string[]> {
    return [...SUPPORTED];
  }

  async setPowerState(task: Task, target: string, timeoutSec?: number): Promise<void> {
    const ctx = await ipmiContext(task, this.config);
    switch (target) {
      case PowerState.ON:
        return this.powerOn(task, ctx, timeoutSec);
      case PowerState.OFF:
        return this.powerOff(task, ctx, timeoutSec);
      case PowerState.SOFT_POWER_OFF:
        return this.softPowerOff(task, ctx, timeoutSec);
      case PowerState.REBOOT:
        await this.powerOff(task, ctx, timeoutSec);
        return this.powerOn(task, ctx, timeoutSec);
      case PowerState.SOFT_REBOOT:
        await this.softPowerOff(task, ctx, timeoutSec);
        return this.powerOn(task, ctx, timeoutSec);
      default:
        throw new InvalidParameterValue(`set_power_state called with an invalid power state: ${target}.`);
    }
  }

  /** Like Ironic's ipmitool reboot: hard off (when on), then on; works from either state, unlike Chassis Cycle. */
  async reboot(task: Task, timeoutSec?: number): Promise<void> {
    return this.setPowerState(task, PowerState.REBOOT, timeoutSec);
  }

  private async powerOn(task: Task, ctx: IpmiContext, timeoutSec?: number) {
    await applyForcedBootDevice(task, ctx);
    await ipmiCall(task, 'power on', () => ctx.client.chassisControl('on'));
    await this.waitFor(task, ctx, true, timeoutSec ?? ctx.settings.powerStateChangeTimeout, 'power on');
  }

  private async powerOff(task: Task, ctx: IpmiContext, timeoutSec?: number) {
    await ipmiCall(task, 'power off', () => ctx.client.chassisControl('off'));
    await this.waitFor(task, ctx, false, timeoutSec ?? ctx.settings.powerStateChangeTimeout, 'power off');
  }

  private async softPowerOff(task: Task, ctx: IpmiContext, timeoutSec?: number) {
    const soft = timeoutSec ?? ctx.settings.softPowerOffTimeout;
    await ipmiCall(task, 'soft power off', () => ctx.client.chassisControl('soft'));
    if (await this.poll(task, ctx, false, soft)) return;
    task.log.warn(`Soft power off of node ${task.node.uuid} did not finish within ${soft} seconds; forcing a hard power off.`);
    await this.powerOff(task, ctx);
  }

  /** Poll Chassis Status until power is `on` (true/false); false when the timeout passed first. */
  private async poll(task: Task, ctx: IpmiContext, on: boolean, timeoutSec: number): Promise<boolean> {
    const deadline = Date.now() + timeoutSec * 1000;
    for (;;) {
      const now = await ipmiCall(task, 'get power status', async () => (await ctx.client.chassisStatus()).powerOn);
      if (now === on) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(ctx.settings.pollInterval * 1000, Math.max(0, deadline - Date.now())));
    }
  }

  private async waitFor(task: Task, ctx: IpmiContext, on: boolean, timeoutSec: number, action: string) {
    if (!(await this.poll(task, ctx, on, timeoutSec))) {
      throw new PowerStateFailure(`Failed to set node ${task.node.uuid} power state to ${on ? PowerState.ON : PowerState.OFF}: the BMC still reports the old state ${timeoutSec} seconds after ${action}.`);
    }
  }
}

const factory: InterfaceFactory<'power'> = (config) => new IpmitoolPower(config);
export default factory;
