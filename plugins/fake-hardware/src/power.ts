/**
 * Ironic's "fake" power interface: the node record is the hardware. getPowerState returns the stored
 * power_state — null until the first power action, as Ironic 21.4 (a managed/available node stays at null);
 * setPowerState writes the resulting state.
 */
import { InvalidParameterValue, PowerState, type InterfaceFactory, type PowerInterface, type Task } from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

const SUPPORTED = [PowerState.ON, PowerState.OFF, PowerState.REBOOT, PowerState.SOFT_REBOOT, PowerState.SOFT_POWER_OFF];

/** The state a target leaves the machine in. */
export function resultingPowerState(target: string): string {
  if (target === PowerState.REBOOT || target === PowerState.SOFT_REBOOT || target === PowerState.ON) return PowerState.ON;
  return PowerState.OFF;
}

export class FakePower implements PowerInterface {
  readonly ironicClass = 'FakePower';
  constructor(private readonly delay: Delay = noDelay) {}
  getProperties() {
    return sleepProperty('power');
  }
  async validate(_task: Task): Promise<void> {}
  async getPowerState(task: Task): Promise<string | null> {
    await this.delay(task);
    // Ironic's FakePower answers the stored state: null until the first power action (test/differential)
    return task.node.power_state ?? null;
  }
  async setPowerState(task: Task, target: string, _timeoutSec?: number): Promise<void> {
    if (!SUPPORTED.includes(target as (typeof SUPPORTED)[number])) {
      throw new InvalidParameterValue(`set_power_state called with an invalid power state: ${target}.`);
    }
    await this.delay(task);
    await task.saveNode({ power_state: resultingPowerState(target) });
  }
  async reboot(task: Task, _timeoutSec?: number): Promise<void> {
    await this.delay(task);
    await task.saveNode({ power_state: PowerState.ON });
  }
  async getSupportedPowerStates(_task: Task): Promise<string[]> {
    return [...SUPPORTED];
  }
}

const factory: InterfaceFactory<'power'> = (settings) => new FakePower(fakeDelay(settings, 'power'));
export default factory;
