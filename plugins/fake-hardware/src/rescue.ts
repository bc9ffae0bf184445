/** Ironic's "fake" rescue interface: rescue and unrescue finish at once (rescuing → rescue). */
import type { InterfaceFactory, RescueInterface, Task } from '@anvil/sdk';

export class FakeRescue implements RescueInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async rescue(_task: Task): Promise<'done' | 'wait'> {
    return 'done';
  }
  async unrescue(_task: Task): Promise<void> {}
  async cleanUp(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'rescue'> = () => new FakeRescue();
export default factory;
