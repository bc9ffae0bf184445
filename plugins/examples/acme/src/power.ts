/**
 * The acme power interface: power state from the Acme BMC, plus one automated clean step, reset_bmc.
 */
import {
  InvalidParameterValue,
  type InterfaceFactory,
  type JsonObject,
  type PowerInterface,
  PowerState,
  type StepDeclaration,
  type Task,
} from '@anvil/sdk';
import { bmcAddress, bmcCall } from './bmc-client.ts';

const SUPPORTED: string[] = [PowerState.ON, PowerState.OFF, PowerState.REBOOT];

export class AcmePower implements PowerInterface {
  readonly cleanSteps: StepDeclaration[] = [
    { step: 'reset_bmc', priority: 50, abortable: false, argsinfo: {}, requires_ramdisk: false },
  ];

  getProperties() {
    return {
      acme_address: 'Address of the Acme BMC as host:port. Required.',
      acme_password: 'Token for the Acme BMC. Optional.',
    };
  }

  async validate(task: Task): Promise<void> {
    bmcAddress(task.node.driver_info);
  }

  async getPowerState(task: Task): Promise<string> {
    const r = await bmcCall(bmcAddress(task.node.driver_info), 'GET', '/power');
    return r?.state === 'on' ? PowerState.ON : PowerState.OFF;
  }

  async setPowerState(task: Task, target: string): Promise<void> {
    if (!SUPPORTED.includes(target)) throw new InvalidParameterValue(`Acme cannot set power state ${target}.`);
    const bmc = bmcAddress(task.node.driver_info);
    if (target === PowerState.REBOOT) return this.reboot(task);
    await bmcCall(bmc, 'PUT', '/power', { state: target === PowerState.ON ? 'on' : 'off' });
  }

  async reboot(task: Task): Promise<void> {
    const bmc = bmcAddress(task.node.driver_info);
    await bmcCall(bmc, 'PUT', '/power', { state: 'off' });
    await bmcCall(bmc, 'PUT', '/power', { state: 'on' });
  }

  async getSupportedPowerStates(_task: Task): Promise<string[]> {
    return [...SUPPORTED];
  }

  async executeStep(task: Task, step: string, _args: JsonObject): Promise<undefined> {
    if (step !== 'reset_bmc') throw new InvalidParameterValue(`Unknown acme step ${step}.`);
    await bmcCall(bmcAddress(task.node.driver_info), 'POST', '/reset');
    return undefined;
  }
}

const factory: InterfaceFactory<'power'> = () => new AcmePower();
export default factory;
