/**
 * Ironic's "fake" deploy interface: one deploy step, deploy.deploy (priority 100), which finishes at once,
 * so a deploy goes deploying → active without a ramdisk callback.
 */
import type { DeployInterface, InterfaceFactory, JsonObject, StepDeclaration, Task } from '@anvil/sdk';
import { fakeSleep, sleepProperty } from './sleep.ts';

export class FakeDeploy implements DeployInterface {
  readonly deploySteps: StepDeclaration[] = [{ step: 'deploy', priority: 100, argsinfo: {}, requires_ramdisk: false }];
  readonly cleanSteps: StepDeclaration[] = [];
  getProperties() {
    return { ...sleepProperty('deploy') };
  }
  async validate(_task: Task): Promise<void> {}
  async deploy(task: Task): Promise<'done' | 'wait'> {
    await fakeSleep(task, 'deploy');
    return 'done';
  }
  async executeStep(task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    if (step === 'deploy') await this.deploy(task);
  }
  async tearDown(task: Task): Promise<void> {
    await fakeSleep(task, 'deploy');
  }
  async prepare(task: Task): Promise<void> {
    await fakeSleep(task, 'deploy');
  }
  async cleanUp(task: Task): Promise<void> {
    await fakeSleep(task, 'deploy');
  }
  async takeOver(_task: Task): Promise<void> {}
  async prepareCleaning(_task: Task): Promise<'done' | 'wait'> {
    return 'done';
  }
  async tearDownCleaning(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'deploy'> = () => new FakeDeploy();
export default factory;
