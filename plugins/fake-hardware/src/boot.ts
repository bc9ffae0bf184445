/** Ironic's "fake" boot interface: every step succeeds at once. */
import type { BootInterface, InterfaceFactory, Task } from '@anvil/sdk';
import { fakeSleep, sleepProperty } from './sleep.ts';

export class FakeBoot implements BootInterface {
  getProperties() {
    return { ...sleepProperty('boot') };
  }
  async validate(_task: Task): Promise<void> {}
  async prepareRamdisk(task: Task, _params: Record<string, string>): Promise<void> {
    await fakeSleep(task, 'boot');
  }
  async cleanUpRamdisk(task: Task): Promise<void> {
    await fakeSleep(task, 'boot');
  }
  async prepareInstance(task: Task): Promise<void> {
    await fakeSleep(task, 'boot');
  }
  async cleanUpInstance(task: Task): Promise<void> {
    await fakeSleep(task, 'boot');
  }
  async validateRescue(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'boot'> = () => new FakeBoot();
export default factory;
