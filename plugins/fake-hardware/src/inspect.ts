/** Ironic's "fake" inspect interface: inspection finishes at once (inspecting → manageable). */
import type { InspectInterface, InterfaceFactory, Task } from '@anvil/sdk';
import { fakeSleep, sleepProperty } from './sleep.ts';

export class FakeInspect implements InspectInterface {
  getProperties() {
    return { ...sleepProperty('inspect') };
  }
  async validate(_task: Task): Promise<void> {}
  async inspectHardware(task: Task): Promise<'done' | 'wait'> {
    await fakeSleep(task, 'inspect');
    return 'done';
  }
  async abort(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'inspect'> = () => new FakeInspect();
export default factory;
