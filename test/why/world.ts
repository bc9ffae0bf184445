/**
 * The world of the `anvil why` failure table (why-failures.test.ts): one `anvil server` (SQLite, ipmi + pxe + direct,
 * the dnsmasq DHCP provider writing its files, 30 s callback timeouts), image servers (one that never answers), BMCs
 * from ipmi_sim on demand, the node event stream collected, and the helpers rows use to enrol and move nodes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openDatabase, type Database } from '@anvil/db';
import { type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { type Anvil, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, freeTcpPort, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, startImageServer, until, waitState, wholeDiskImage } from '../deploy/fixtures.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const KERNEL = Buffer.from('kernel\n'.repeat(100));
const RAMDISK = Buffer.from('ramdisk\n'.repeat(100));

/**
 * deploy_callback_timeout and clean_callback_timeout (s): long enough for a loaded 2-core machine to PXE-boot the
 * simulated ramdisk with 8 rows at a time (10 s was not at load 20), short enough for the rows that wait it out.
 */
export const CALLBACK_TIMEOUT_S = 30;
/** how long a row waits for a failure that may come only at that deadline */
export const PAST_CALLBACK_MS = (CALLBACK_TIMEOUT_S + 30) * 1000;
/** how long a simulated machine may take to PXE-boot its agent on a loaded machine */
export const AGENT_UP_MS = 60_000;

/** An HTTP server that accepts requests and never answers (a stalled image or boot-file server). */
export async function stallServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** `anvil why IDENT` as a user runs it (cli/bin/anvil.js). */
export function anvilWhyBinary(ident: string, endpoint: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL('../../cli/bin/anvil.js', import.meta.url).pathname, 'why', ident, '--endpoint', endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`anvil why exited ${code}: ${err}`))));
  });
}

/** Writes from this second SQLite connection may meet the server's write (SQLITE_BUSY*): retry them. */
export async function busyRetry(fn: () => Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i > 20 || !/SQLITE_BUSY/.test(String((err as { code?: string }).code ?? err))) throw err;
      await sleep(100);
    }
  }
}

export interface StreamedEvent {
  uuid: string;
  last_error: string | null;
  diagnosis?: { code: string };
}

/** Reads the SSE node event stream into out until aborted. */
export async function collectEvents(url: string, out: StreamedEvent[], abort: AbortController): Promise<void> {
  try {
    const r = await fetch(url, { signal: abort.signal });
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const data = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
        buf = buf.slice(i + 2);
        if (data) out.push(JSON.parse(data.slice(6)));
      }
    }
  } catch {
    // aborted at the end
  }
}

export interface Ctx {
  t: TestContext;
  name: string;
  mac: string;
}

export interface Row {
  name: string;
  /** Makes the failure happen; returns the node (name) or MAC to explain. */
  run(c: Ctx): Promise<string>;
  code: string;
  /** where the diagnosis is: the last failure (default) or what blocks the node now */
  where?: 'last_failure' | 'current' | 'mac';
  cause: RegExp;
  hint: RegExp;
  step?: RegExp;
}

interface NodeOptions {
  bmc?: Peer;
  driverInfo?: Record<string, unknown>;
  instanceInfo?: Record<string, unknown>;
  fields?: Record<string, unknown>;
}

/** Started by start() in the suite's before(); the helpers read the started parts when rows run. */
export class WhyWorld {
  anvil!: Anvil;
  api!: ApiClient;
  api76!: ApiClient;
  images!: ImageServer;
  stall!: Awaited<ReturnType<typeof stallServer>>;
  deadPort = 0;
  db!: Database;
  readonly image = wholeDiskImage();
  readonly streamed: StreamedEvent[] = [];
  private tftpPort = 0;
  private dbDir = '';
  private readonly bmcs: Peer[] = [];
  private readonly events = new AbortController();

  async start(): Promise<void> {
    [this.images, this.stall, this.tftpPort, this.deadPort] = await Promise.all([startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'disk.raw': this.image }), stallServer(), freeUdpPort(), freeTcpPort()]);
    this.dbDir = mkdtempSync(join(tmpdir(), 'anvil-why-'));
    const databaseUrl = `sqlite://${join(this.dbDir, 'anvil.sqlite')}`;
    this.anvil = await startAnvil({
      database_url: databaseUrl,
      pxe_tftp_port: this.tftpPort,
      dhcp_provider: 'dnsmasq',
      automated_clean: false,
      deploy_callback_timeout: CALLBACK_TIMEOUT_S,
      clean_callback_timeout: CALLBACK_TIMEOUT_S,
      check_provision_state_interval: 1,
      ...FAST_DEPLOY_SETTINGS,
      ipmi_attempt_timeout: 0.3,
      ipmi_retries: 1,
      deploy_logs_collect: 'never',
    });
    this.api = apiClient(this.anvil.url);
    this.api76 = apiClient(this.anvil.url, '1.76');
    void collectEvents(`${this.anvil.url}/v1/anvil/events`, this.streamed, this.events);
    this.db = await openDatabase({ data_dir: this.dbDir, database_url: databaseUrl } as never, { migrate: false });
  }

  async stop(): Promise<void> {
    this.events.abort();
    await this.anvil?.stop();
    await this.db?.close();
    await Promise.all([this.images?.stop(), this.stall?.stop(), ...this.bmcs.map((b) => b.stop())]);
    if (this.dbDir) rmSync(this.dbDir, { recursive: true, force: true });
  }

  tftp = () => ({ host: '127.0.0.1', port: this.tftpPort });

  bmc = async (): Promise<Peer> => {
    const b = await startIpmiSim();
    this.bmcs.push(b);
    return b;
  };

  /** An ipmi + pxe + direct + flat node with one port; driver_info / instance_info / fields overridden per row. */
  node = async (c: Ctx, o: NodeOptions = {}) => {
    const b = o.bmc ?? (await this.bmc());
    const n = await this.api('POST', '/nodes', {
      name: c.name,
      driver: 'ipmi',
      boot_interface: 'pxe',
      deploy_interface: 'direct',
      network_interface: 'flat',
      driver_info: { ...ipmiDriverInfo(b, this.images.url), ...o.driverInfo },
      instance_info: { image_source: `${this.images.url}/disk.raw`, image_os_hash_algo: 'sha512', image_os_hash_value: hash('sha512', this.image), image_checksum: hash('md5', this.image), ...o.instanceInfo },
      ...o.fields,
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    assert.equal((await this.api('POST', '/ports', { node_uuid: n.body.uuid, address: c.mac })).status, 201);
    return { uuid: n.body.uuid as string, bmc: b };
  };

  verb = async (name: string, target: string, extra: Record<string, unknown> = {}) => {
    const r = await this.api('PUT', `/nodes/${name}/states/provision`, { target, ...extra });
    assert.equal(r.status, 202, `${target} ${name}: ${JSON.stringify(r.body)}`);
  };

  manageable = async (c: Ctx, o: NodeOptions = {}) => {
    const n = await this.node(c, o);
    await this.verb(c.name, 'manage');
    await waitState(this.api, c.name, 'manageable');
    return n;
  };

  available = async (c: Ctx, o: NodeOptions = {}) => {
    const n = await this.manageable(c, o);
    await this.verb(c.name, 'provide');
    await waitState(this.api, c.name, 'available');
    return n;
  };

  /** Deploy and wait for deploy failed. */
  deployFails = async (c: Ctx, ms = PAST_CALLBACK_MS) => {
    await this.verb(c.name, 'active');
    return waitState(this.api, c.name, 'deploy failed', ms);
  };

  untilLastError = (name: string, ms = 20_000) =>
    until(`last_error on ${name}`, async () => {
      const n = (await this.api('GET', `/nodes/${name}`)).body;
      return n.last_error && !n.target_provision_state ? n : undefined;
    }, ms);
}
