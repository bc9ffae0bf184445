/**
 * Shared pieces of the deploy tests: an HTTP image server (kernel, ramdisk, disk images), a raw whole-disk image with
 * a DOS label, free ports, a JSON client at microversion 1.68, polling helpers, and a simulated machine wired to an
 * ipmi_sim BMC (the agent's own power off goes through the BMC with ipmitool, as a host shutting down would show).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { FileDisk, SimMachine } from '@anvil/agent-sim';
import { ipmitool, type Peer } from 'ipmi-lan-ts/testing';

import { sleep, until } from '../wait.ts';

export { sleep, until };

export { freePort as freeTcpPort, freeUdpPort } from '../free-port.ts';

/** A 4 MiB raw disk image: DOS label (disk id 0xa1b2c3d4) with one Linux partition, random content. */
export function wholeDiskImage(): Buffer {
  const img = randomBytes(4 * 1024 * 1024);
  img.fill(0, 0, 512);
  img.writeUInt32LE(0xa1b2c3d4, 440);
  const off = 446;
  img[off + 4] = 0x83;
  img.writeUInt32LE(2048, off + 8);
  img.writeUInt32LE(6144, off + 12);
  img[510] = 0x55;
  img[511] = 0xaa;
  return img;
}

export const hash = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

export interface ImageServer {
  url: string;
  files: Map<string, Buffer>;
  requests: string[];
  stop(): Promise<void>;
}

export async function startImageServer(files: Record<string, Buffer>): Promise<ImageServer> {
  const map = new Map(Object.entries(files));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    requests.push(name);
    const data = map.get(name);
    if (!data) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': data.length }).end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    files: map,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type ApiClient = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export function apiClient(url: string, version = '1.46'): ApiClient {
  return async (method, path, body) => {
    const r = await fetch(`${url}/v1${path}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

/** Wait for a provision state; fail early when the node lands in another stable/failed state. */
export async function waitState(api: ApiClient, node: string, want: string, ms = 60_000): Promise<any> {
  let last: any = null;
  return until(
    `node ${node} in ${want}`,
    async () => {
      last = (await api('GET', `/nodes/${node}`)).body;
      const stable = ['enroll', 'manageable', 'available', 'active', 'rescue', 'error'].includes(want);
      if (last.provision_state === want && (!stable || last.target_provision_state === null)) return last;
      if (last.provision_state !== want && /failed$|^error$/.test(last.provision_state) && !/failed$|^error$/.test(want)) {
        assert.fail(`node ${node} went to ${last.provision_state}: ${last.last_error}`);
      }
      return undefined;
    },
    ms,
    async () => JSON.stringify({ state: last?.provision_state, target: last?.target_provision_state, err: last?.last_error, step: last?.clean_step ?? last?.deploy_step, reservation: last?.reservation, dii: last?.driver_internal_info }),
  );
}

export function simFor(peer: Peer, mac: string, tftp: { host: string; port: number }, opts: { name: string; bootMode?: 'uefi' | 'bios'; httpUrl?: string; diskMiB?: number; ipaApiUrl?: string; inventory?: Record<string, unknown> } = { name: 'sim' }) {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sim-disk-'));
  const disk = new FileDisk(join(dir, 'disk.img'), (opts.diskMiB ?? 256) * 1024 * 1024);
  const machine = new SimMachine({
    name: opts.name,
    mac,
    bmc: { actions: () => peer.actions(), powerOff: async () => void (await ipmitool(peer, 3, 'chassis', 'power', 'off')) },
    disk,
    tftp,
    httpUrl: opts.httpUrl,
    bootMode: opts.bootMode ?? 'uefi',
    ipaApiUrl: opts.ipaApiUrl,
    pollMs: 50,
    agent: { heartbeatMs: 700, forcedGapMs: 0, inventory: opts.inventory ?? { cpu: { count: 2, architecture: 'x86_64' }, memory: { physical_mb: 2048 }, interfaces: [{ name: 'eth0', mac_address: mac }] } },
  });
  return { machine, disk, dir };
}

/** A simulated machine (simFor) started now, stopped and its disk removed when test t ends. */
export function startSim(t: TestContext, ...args: Parameters<typeof simFor>): ReturnType<typeof simFor> {
  const sim = simFor(...args);
  t.after(async () => {
    await sim.machine.stop();
    rmSync(sim.dir, { recursive: true, force: true });
  });
  sim.machine.start();
  return sim;
}

/** `anvil server` settings every deploy test shares: short IPMI attempts, fast BMC power polling, no power sync, short agent waits. */
export const FAST_DEPLOY_SETTINGS = {
  ipmi_attempt_timeout: 0.5,
  ipmi_power_poll_interval: 0.2,
  sync_power_state_interval: 600,
  ramdisk_heartbeat_timeout: 2,
  agent_command_wait_interval: 0.2,
  post_deploy_get_power_state_retry_interval: 0.2,
} as const;

/** driver_info of an ipmi node on the simulated BMC (cipher suite 3) with the image server's deploy kernel/ramdisk. */
export function ipmiDriverInfo(bmc: Peer, imagesUrl: string): Record<string, string | number> {
  return {
    ipmi_address: bmc.host,
    ipmi_port: bmc.port,
    ipmi_username: bmc.username,
    ipmi_password: bmc.password,
    ipmi_cipher_suite: 3,
    deploy_kernel: `${imagesUrl}/kernel`,
    deploy_ramdisk: `${imagesUrl}/ramdisk`,
  };
}

/** On a failed test (or with ANVIL_DEPLOY_DEBUG=1): what the machine and its agents saw, and the server's log tail. */
export function deployDebug(t: object, machine: SimMachine, anvil: { output(): string }): void {
  if ((t as { passed?: boolean }).passed !== false && !process.env.ANVIL_DEPLOY_DEBUG) return;
  const agents = machine.agents.map((a) => ({
    url: a.url,
    node: a.nodeUuid,
    token: a.token ? 'set' : null,
    lookups: a.lookups,
    heartbeats: a.heartbeats.map((h) => h.status),
    commands: a.commands.map((c) => `${c.command_name}:${c.command_status}`),
  }));
  console.error(JSON.stringify({ events: machine.events, agents }, null, 1));
  console.error(anvil.output().slice(-8000));
}

