/**
 * Ironic 39's `fake-graphical` console interface (FakeGraphicalConsole on GraphicalConsole): enabling starts the
 * console container of the `fake` app through the configured provider (vnc_container_provider) and records
 * `vnc_host`, `vnc_port` and a console token in driver_internal_info; disabling stops it and removes them;
 * console_info is {type: 'vnc', url} pointing at the noVNC proxy's page for this node and token.
 */
import type { ConsoleInterface, InterfaceFactory, Task } from '@anvil/sdk';
import { containerProvider } from './containers.ts';
import { publicUrl } from './public-url.ts';
import { authorize, consoleInfo, unauthorize } from './token.ts';

export class FakeGraphicalConsole implements ConsoleInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  getAppName(): string {
    return 'fake';
  }
  async startConsole(task: Task): Promise<void> {
    const { host, port } = await containerProvider(task.config.vnc_container_provider).startContainer(task, this.getAppName());
    await task.setInternalInfo({ vnc_host: host, vnc_port: port, ...authorize(new Date()) });
  }
  async stopConsole(task: Task): Promise<void> {
    await containerProvider(task.config.vnc_container_provider).stopContainer(task);
    await task.setInternalInfo({ vnc_port: null, vnc_host: null, ...unauthorize() });
  }
  async getConsole(task: Task): Promise<{ type: string; url: string }> {
    const token = task.node.driver_internal_info?.novnc_secret_token;
    return consoleInfo(publicUrl(task.config), task.node.uuid, typeof token === 'string' ? token : undefined);
  }
}

const factory: InterfaceFactory<'console'> = () => new FakeGraphicalConsole();
export default factory;
