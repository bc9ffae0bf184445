/** Ironic's "fake" console interface: start/stop succeed; the console URL is a placeholder. */
import type { ConsoleInterface, InterfaceFactory, Task } from '@anvil/sdk';

export class FakeConsole implements ConsoleInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async startConsole(_task: Task): Promise<void> {}
  async stopConsole(_task: Task): Promise<void> {}
  async getConsole(_task: Task): Promise<{ type: string; url: string }> {
    return { type: 'shellinabox', url: 'http://127.0.0.1:4321/fake-console' };
  }
}

const factory: InterfaceFactory<'console'> = () => new FakeConsole();
export default factory;
