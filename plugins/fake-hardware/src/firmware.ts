/**
 * Ironic 39's "fake" firmware interface (API 1.86): one clean step `update` (priority 0, required `settings`) that
 * succeeds at once, and no components to cache (GET /v1/nodes/{node}/firmware lists none), as Ironic's.
 */
import type { FirmwareInterface, InterfaceFactory, JsonObject, StepDeclaration, Task } from '@anvil/sdk';
import { InvalidParameterValue } from '@anvil/sdk';

export class FakeFirmware implements FirmwareInterface {
  readonly cleanSteps: StepDeclaration[] = [
    {
      step: 'update',
      priority: 0,
      abortable: false,
      argsinfo: { settings: { description: 'List of Firmware components, each item needs to contain a dictionary with name/value pairs', required: true } },
    },
  ];
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async cacheFirmwareComponents(_task: Task): Promise<void> {}
  async executeStep(_task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    if (step !== 'update') throw new InvalidParameterValue(`Unknown firmware step ${step}.`);
  }
}

const factory: InterfaceFactory<'firmware'> = () => new FakeFirmware();
export default factory;
