/** Ironic's "fake" boot interface: every step succeeds at once. */
import type { BootInterface, InterfaceFactory, Task } from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

export class FakeBoot implements BootInterface {
  readonly ironicClass = 'FakeBoot';
  constructor(private readonly delay: Delay = noDelay) {}
  getProperties() {
    return sleepProperty('boot');
  }
  async validate(_task: Task): Promise<void> {}
  async prepareRamdisk(task: Task, _params: Record<string, string>): Promise<void> {
    await this.delay(task);
  }
  async cleanUpRamdisk(task: Task): Promise<void> {
    await this.delay(task);
  }
  async prepareInstance(task: Task): Promise<void> {
    await this.delay(task);
  }
  async cleanUpInstance(task: Task): Promise<void> {
    await this.delay(task);
  }
  async validateRescue(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'boot'> = (settings) => new FakeBoot(fakeDelay(settings, 'boot'));
export default factory;
