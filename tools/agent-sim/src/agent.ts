/**
 * A simulated ironic-python-agent: looks its node up (GET /v1/lookup, version 1.68), heartbeats (POST
 * /v1/heartbeat/{uuid} with the token), and serves the agent REST API (POST /v1/commands/?wait=&agent_token=,
 * GET /v1/commands/) with IPA's result and error shapes. Async commands run in the background; a forced heartbeat
 * follows their end. Images are downloaded over HTTP, checksum-verified and written to a FileDisk.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { FileDisk } from './disk.ts';
import { tarGz } from './tar.ts';
import { callInspector, type InspectionAnswer } from './inspect-call.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandFailed, HW_VERSION } from './agent-common.ts';
import { SERVICE_COMMANDS } from './service-steps.ts';

export interface CommandResult {
  id: string;
  command_name: string;
  command_params: Record<string, unknown>;
  command_status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  command_error: null | { type: string; code: number; message: string; details: string };
  command_result: unknown;
}

export interface AgentOptions {
  apiUrl: string;
  macs: string[];
  disk: FileDisk;
  /** how the host powers itself off (standby.power_off) */
  powerOff: () => Promise<void>;
  version?: string;
  /** heartbeat interval override (ms); default heartbeat_timeout × U(0.3, 0.6) */
  heartbeatMs?: number;
  /** minimum gap before a forced heartbeat after an async command (IPA: 5 s) */
  forcedGapMs?: number;
  inventory?: Record<string, unknown>;
  /** ipa-inspection-callback-url: post the inventory there first (in-band inspection) */
  inspectionCallbackUrl?: string | null;
  log?: (msg: string) => void;
}

export class SimAgent {
  readonly commands: CommandResult[] = [];
  readonly heartbeats: { status: number; at: number }[] = [];
  /** lookup outcomes: HTTP status, or "masked" when the token was already handed out */
  readonly lookups: (number | 'masked')[] = [];
  /** the inspection call's outcome (in-band inspection), null when none was made */
  inspection: InspectionAnswer | null = null;
  nodeUuid: string | null = null;
  token: string | null = null;
  url = '';
  rescuePassword: string | null = null;
  rootUuid: string | null = null;
  private server: Server | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private lastHeartbeat = 0;
  private heartbeatTimeout = 300;
  private readonly inflight = new AbortController();

  constructor(readonly opts: AgentOptions) {}

  private log(m: string) {
    this.opts.log?.(`agent: ${m}`);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    void this.run();
  }

  /** Power loss: no request leaves a dead host, and in-flight ones are cut (the socket goes away with it). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.inflight.abort();
    if (this.timer) clearTimeout(this.timer);
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private apiVersion = '1.68';
  private serverMinor = 68;

  /** IPA's version discovery: GET / without a version header, then min(server default_version, 1.68). */
  private async discoverVersion(): Promise<void> {
    try {
      const r = await fetch(`${this.opts.apiUrl.replace(/\/+$/, '')}/`, { signal: AbortSignal.timeout(10_000) });
      const v = String(((await r.json()) as { default_version?: { version?: string } }).default_version?.version ?? '1.68');
      const minor = Number(v.split('.')[1]);
      if (Number.isFinite(minor)) {
        this.apiVersion = `1.${Math.min(minor, 68)}`;
        this.serverMinor = minor;
      }
    } catch {
      // keep 1.68
    }
  }

  private api(path: string, init: RequestInit = {}) {
    return fetch(`${this.opts.apiUrl.replace(/\/+$/, '')}${path}`, {
      ...init,
      headers: { 'X-OpenStack-Ironic-API-Version': this.apiVersion, Accept: 'application/json', 'Content-Type': 'application/json' },
      signal: AbortSignal.any([this.inflight.signal, AbortSignal.timeout(30_000)]),
    });
  }

  /** Lookup with back-off until the node is found and a usable token issued, then heartbeat on a cadence. */
  private async run(): Promise<void> {
    await this.discoverVersion();
    if (this.opts.inspectionCallbackUrl) {
      this.inspection = await callInspector(this.opts.inspectionCallbackUrl, this.opts.inventory ?? {}, this.serverMinor, this.inflight.signal);
      this.log(`inspection data posted: HTTP ${this.inspection.status}`);
      if (this.inspection.token && this.inspection.uuid) {
        this.nodeUuid = this.inspection.uuid;
        this.token = this.inspection.token;
        this.heartbeatTimeout = this.inspection.heartbeatTimeout ?? this.heartbeatTimeout;
      }
    }
    let delay = 100;
    while (!this.stopped && !this.token && !(await this.lookup())) {
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
    if (!this.stopped) await this.heartbeat();
  }

  async lookup(): Promise<boolean> {
    if (this.stopped) return false;
    try {
      const r = await this.api(`/v1/lookup?addresses=${encodeURIComponent(this.opts.macs.join(','))}`);
      if (r.status !== 200) {
        this.lookups.push(r.status);
        await r.text();
        return false;
      }
      const body = (await r.json()) as { node: { uuid: string }; config: { agent_token: string; heartbeat_timeout: number } };
      this.nodeUuid = body.node.uuid;
      this.heartbeatTimeout = body.config.heartbeat_timeout;
      if (body.config.agent_token === '******') {
        this.lookups.push('masked');
        return false;
      }
      this.lookups.push(200);
      this.token = body.config.agent_token;
      this.log(`looked up node ${this.nodeUuid}`);
      return true;
    } catch {
      this.lookups.push(0);
      return false;
    }
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.heartbeat(), ms);
  }

  async heartbeat(): Promise<number> {
    if (this.stopped || !this.nodeUuid) return 0;
    this.lastHeartbeat = Date.now();
    let status = 0;
    try {
      const r = await this.api(`/v1/heartbeat/${this.nodeUuid}`, {
        method: 'POST',
        body: JSON.stringify({ callback_url: this.url, agent_token: this.token, agent_version: this.opts.version ?? '9.4.1' }),
      });
      status = r.status;
      await r.text();
      if (status === 400 && !this.stopped) {
        this.log('heartbeat refused (token wiped?): looking up again');
        await this.lookup();
      }
    } catch {
      status = 0;
    }
    this.heartbeats.push({ status, at: Date.now() });
    const interval = this.opts.heartbeatMs ?? this.heartbeatTimeout * 1000 * (0.3 + Math.random() * 0.3);
    this.schedule(interval);
    return status;
  }

  private forcedHeartbeat() {
    const gap = this.opts.forcedGapMs ?? 5000;
    const wait = Math.max(0, this.lastHeartbeat + gap - Date.now());
    this.schedule(wait);
  }

  private send(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/v1/commands') return this.send(res, 200, { commands: this.commands });
    if (req.method === 'GET' && path === '/v1/status') return this.send(res, 200, { started_at: 0, version: this.opts.version ?? '9.4.1' });
    if (req.method !== 'POST' || path !== '/v1/commands') return this.send(res, 404, { faultcode: 'Client', faultstring: 'Not found' });
    if (!this.token || u.searchParams.get('agent_token') !== this.token) {
      return this.send(res, 401, { faultcode: 'Client', faultstring: '401 Unauthorized: Token invalid.' });
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { name?: unknown; params?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    } catch {
      body = {};
    }
    if (typeof body.name !== 'string' || typeof body.params !== 'object' || body.params === null) {
      return this.send(res, 400, { faultcode: 'Client', faultstring: '400 Bad Request: Missing or invalid name or params' });
    }
    const last = this.commands[this.commands.length - 1];
    if (last?.command_status === 'RUNNING') {
      return this.send(res, 409, { faultcode: 'Client', faultstring: `Agent is busy: executing command ${last.command_name}` });
    }
    const [ext, cmd] = body.name.split('.', 2);
    const entry = COMMANDS[ext]?.[cmd];
    if (!COMMANDS[ext]) return this.send(res, 404, { faultcode: 'Client', faultstring: `Not found: Extension with id ${ext} not found.` });
    if (!entry) return this.send(res, 400, { faultcode: 'Client', faultstring: `Invalid command: Unknown command: ${cmd}` });
    const params = body.params as Record<string, any>;
    const result: CommandResult = {
      id: randomUUID(),
      command_name: cmd,
      command_params: params,
      command_status: 'RUNNING',
      command_error: null,
      command_result: null,
    };
    this.commands.push(result);
    this.log(`command ${body.name}`);
    const work = (async () => {
      try {
        result.command_result = await entry.run(this, params);
        result.command_status = 'SUCCEEDED';
      } catch (err) {
        const e = err instanceof CommandFailed ? err : new CommandFailed('CommandExecutionError', (err as Error).message);
        result.command_status = 'FAILED';
        result.command_error = { type: e.type, code: 500, message: e.message, details: e.details };
      }
      if (entry.async) this.forcedHeartbeat();
    })();
    if (!entry.async || u.searchParams.get('wait') === 'true') await work;
    this.send(res, 200, result);
  }

  async writeImage(info: Record<string, any>, configdrive: string | null): Promise<string> {
    const url = info.urls?.[0];
    if (typeof url !== 'string') throw new CommandFailed('ImageDownloadError', 'Error downloading image: no URL');
    let data: Buffer;
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(120_000) });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      data = Buffer.from(await r.arrayBuffer());
    } catch (err) {
      throw new CommandFailed('ImageDownloadError', `Error downloading image: Download of image ${info.id} failed: ${(err as Error).message}`);
    }
    const algo = info.os_hash_algo && info.os_hash_value ? String(info.os_hash_algo) : 'md5';
    const want = String(info.os_hash_algo && info.os_hash_value ? info.os_hash_value : info.checksum ?? '').toLowerCase();
    const got = createHash(algo).update(data).digest('hex');
    if (got !== want) {
      throw new CommandFailed(
        'ImageChecksumError',
        'Error verifying image checksum',
        `Image failed to verify against checksum. location: ${info.id}; image ID: ${info.id}; image checksum: ${want}; verification checksum: ${got}`,
      );
    }
    const disk = this.opts.disk;
    this.rootUuid = info.image_type === 'partition' ? disk.writePartitionImage(data, info as any) : disk.writeWholeDisk(data);
    if (configdrive) disk.writeConfigDrive(await decodeConfigDrive(configdrive));
    return `prepare_image: image (${info.id}) written to device /dev/sda root_uuid=${this.rootUuid}`;
  }

  systemLogs(): string {
    const journal = this.commands.map((c) => `${c.command_name} ${c.command_status}`).join('\n');
    return tarGz({ 'journal': `${journal}\n`, 'inventory.json': JSON.stringify(this.opts.inventory ?? {}, null, 2) }).toString('base64');
  }
}

async function decodeConfigDrive(value: string): Promise<Buffer> {
  if (value.includes('://')) {
    const r = await fetch(value);
    return decodeConfigDrive(Buffer.from(await r.arrayBuffer()).toString());
  }
  const raw = Buffer.from(value, 'base64');
  try {
    return gunzipSync(raw);
  } catch {
    return raw;
  }
}

export type Handler = { async: boolean; run: (a: SimAgent, p: Record<string, any>) => Promise<unknown> };

const step = (s: string, priority: number, iface = 'deploy') => ({ step: s, priority, interface: iface, reboot_requested: false, abortable: true });

const COMMANDS: Record<string, Record<string, Handler>> = {
  deploy: {
    get_deploy_steps: {
      async: false,
      run: async () => ({
        deploy_steps: { GenericHardwareManager: [step('erase_devices_metadata', 0), step('write_image', 0), step('inject_files', 0), step('apply_configuration', 0, 'raid')] },
        hardware_manager_version: HW_VERSION,
      }),
    },
    execute_deploy_step: {
      async: true,
      run: async (a, p) => {
        if (p.step?.step !== 'write_image') throw new CommandFailed('HardwareManagerMethodNotFound', `Could not find method: ${p.step?.step}`);
        const result = await a.writeImage(p.step.args?.image_info ?? {}, p.step.args?.configdrive ?? null);
        return { deploy_result: { result }, deploy_step: p.step };
      },
    },
  },
  clean: {
    get_clean_steps: {
      async: false,
      run: async () => ({
        clean_steps: { GenericHardwareManager: [step('erase_devices', 10), step('erase_devices_metadata', 99), step('erase_devices_express', 0)] },
        hardware_manager_version: HW_VERSION,
      }),
    },
    execute_clean_step: {
      async: true,
      run: async (a, p) => {
        const name = p.step?.step;
        if (name === 'erase_devices_metadata') a.opts.disk.eraseMetadata();
        else if (name === 'erase_devices') {
          a.opts.disk.eraseMetadata();
          a.opts.disk.zero(0, Math.min(a.opts.disk.sizeBytes, 64 * 1024 * 1024));
        } else throw new CommandFailed('HardwareManagerMethodNotFound', `Could not find method: ${name}`);
        return { clean_result: null, clean_step: p.step };
      },
    },
  },
  standby: {
    get_partition_uuids: {
      async: false,
      run: async (a) => ({ 'root uuid': a.rootUuid, 'efi system partition uuid': null, 'PReP Boot partition uuid': null }),
    },
    power_off: {
      async: true,
      run: async (a) => {
        setTimeout(() => void a.opts.powerOff(), 50);
        return null;
      },
    },
    sync: { async: false, run: async () => null },
  },
  image: {
    install_bootloader: { async: true, run: async () => null },
  },
  rescue: {
    finalize_rescue: {
      async: false,
      run: async (a, p) => {
        a.rescuePassword = String(p.rescue_password ?? '');
        return null;
      },
    },
  },
  service: SERVICE_COMMANDS,
  log: {
    collect_system_logs: { async: false, run: async (a) => ({ system_logs: a.systemLogs() }) },
  },
};
