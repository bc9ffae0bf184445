/**
 * Ironic's "fake" deploy interface: one deploy step, deploy.deploy (priority 100), which finishes at once,
 * so a deploy goes deploying → active without a ramdisk callback.
 */
import type { DeployInterface, InterfaceFactory, JsonObject, StepDeclaration, Task } from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

export class FakeDeploy implements DeployInterface {
  readonly ironicClass = 'FakeDeploy';
  constructor(private readonly delay: Delay = noDelay) {}
  readonly deploySteps: StepDeclaration[] = [{ step: 'deploy', priority: 100, argsinfo: {}, requires_ramdisk: false }];
  readonly cleanSteps: StepDeclaration[] = [];
  getProperties() {
    return sleepProperty('deploy');
  }
  async validate(_task: Task): Promise<void> {}
  async deploy(task: Task): Promise<'done' | 'wait'> {
    await this.delay(task);
    return 'done';
  }
  async executeStep(task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    if (step === 'deploy') await this.deploy(task);
  }
  async tearDown(task: Task): Promise<void> {
    await this.delay(task);
  }
  async prepare(task: Task): Promise<void> {
    await this.delay(task);
  }
  async cleanUp(task: Task): Promise<void> {
    await this.delay(task);
  }
  async takeOver(_task: Task): Promise<void> {}
  async prepareCleaning(_task: Task): Promise<'done' | 'wait'> {
    return 'done';
  }
  async tearDownCleaning(_task: Task): Promise<void> {}
}

const factory: InterfaceFactory<'deploy'> = (settings) => new FakeDeploy(fakeDelay(settings, 'deploy'));
export default factory;
