/**
 * Console container providers (Ironic's console/container/): where a graphical console's VNC endpoint lives.
 * `fake` returns Ironic's unusable test-net address; `simulated` starts a small VNC server (rfb-server.ts) per
 * node in this process — the stand-in for a console container on a driver with no real graphical console.
 */
import type { Task } from '@anvil/sdk';
import { startRfbServer, type RfbServer } from './rfb-server.ts';

export interface ConsoleContainerProvider {
  startContainer(task: Task, appName: string): Promise<{ host: string; port: number }>;
  stopContainer(task: Task): Promise<void>;
}

export const fakeProvider: ConsoleContainerProvider = {
  async startContainer() {
    return { host: '192.0.2.1', port: 5900 }; // a TEST-NET-1 address, as Ironic's fake provider
  },
  async stopContainer() {},
};

/** node uuid → its running VNC server */
const running = new Map<string, RfbServer>();

export const simulatedProvider: ConsoleContainerProvider = {
  async startContainer(task, appName) {
    await running.get(task.node.uuid)?.close();
    const server = await startRfbServer({ name: `${appName} console of ${task.node.uuid}` });
    running.set(task.node.uuid, server);
    return { host: server.host, port: server.port };
  },
  async stopContainer(task) {
    const server = running.get(task.node.uuid);
    running.delete(task.node.uuid);
    await server?.close();
  },
};

export function containerProvider(name: unknown): ConsoleContainerProvider {
  if (name === undefined || name === null || name === 'fake') return fakeProvider;
  if (name === 'simulated') return simulatedProvider;
  throw new Error(`Unknown console container provider ${String(name)}`);
}
