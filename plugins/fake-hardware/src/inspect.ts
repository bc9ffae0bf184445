/** Ironic's "fake" inspect interface: inspection finishes at once (inspecting → manageable). */
import type { InspectInterface, InterfaceFactory, Task } from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

export class FakeInspect implements InspectInterface {
  constructor(private readonly delay: Delay = noDelay) {}
  getProperties() {
    return sleepProperty('inspect');
  }
  async validate(_task: Task): Promise<void> {}
  async inspectHardware(task: Task): Promise<'done' | 'wait'> {
    await this.delay(task);
    return 'done';
  }
  async abort(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'inspect'> = (settings) => new FakeInspect(fakeDelay(settings, 'inspect'));
export default factory;
