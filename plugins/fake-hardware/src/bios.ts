/** Ironic's "fake" BIOS interface: apply_configuration / factory_reset steps that succeed at once. */
import type { BiosInterface, InterfaceFactory, JsonObject, StepDeclaration, Task } from '@anvil/sdk';

export class FakeBios implements BiosInterface {
  readonly cleanSteps: StepDeclaration[] = [
    { step: 'apply_configuration', priority: 0, argsinfo: { settings: { description: 'A list of BIOS settings to be applied', required: true } } },
    { step: 'factory_reset', priority: 0, argsinfo: {} },
  ];
  readonly deploySteps: StepDeclaration[] = [
    { step: 'apply_configuration', priority: 0, argsinfo: { settings: { description: 'A list of BIOS settings to be applied', required: true } } },
    { step: 'factory_reset', priority: 0, argsinfo: {} },
  ];
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async cacheBiosSettings(_task: Task): Promise<void> {}
  async executeStep(_task: Task, _step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {}
}

const factory: InterfaceFactory<'bios'> = () => new FakeBios();
export default factory;
