/**
 * Every failure explained (issue "explain every failure"): one `anvil server` (SQLite, ipmi + pxe + direct, the
 * dnsmasq DHCP provider writing its files, 10 s callback timeouts, 8 rows at a time) and a table of failures injected through real
 * parts — ipmi_sim BMCs with a wrong password or gone, image servers that 404 or never answer, simulated machines
 * that PXE-boot the wrong firmware, cannot reach the API, lose power mid-deploy, or run a clean step their agent
 * lacks, an agent whose MAC no port has, a conductor that died holding a lock. Each row checks its diagnosis code,
 * hint and step through `GET /v1/anvil/nodes/{node}/why`, and that `anvil why` prints them (text and -f json).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { FileDisk, SimAgent } from '@anvil/agent-sim';
import { openDatabase, type Database } from '@anvil/db';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { why } from '../../cli/src/commands/why.ts';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, freeTcpPort, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, startImageServer, startSim, until, waitState, wholeDiskImage } from '../deploy/fixtures.ts';
import { failWithout } from '../prereq.ts';

const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim();
failWithout(missing);
const KERNEL = Buffer.from('kernel\n'.repeat(100));
const RAMDISK = Buffer.from('ramdisk\n'.repeat(100));

/** An HTTP server that accepts requests and never answers (a stalled image or boot-file server). */
async function stallServer(): Promise<{ url: string; stop(): Promise<void> }> {
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
function anvilWhyBinary(ident: string, endpoint: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL('../../cli/bin/anvil.js', import.meta.url).pathname, 'why', ident, '--endpoint', endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`anvil why exited ${code}: ${err}`))));
  });
}

/** Writes from this second SQLite connection may meet the server's write (SQLITE_BUSY*): retry them. */
async function busyRetry(fn: () => Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i > 20 || !/SQLITE_BUSY/.test(String((err as { code?: string }).code ?? err))) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface StreamedEvent {
  uuid: string;
  last_error: string | null;
  diagnosis?: { code: string };
}

/** Reads the SSE node event stream into out until aborted. */
async function collectEvents(url: string, out: StreamedEvent[], abort: AbortController): Promise<void> {
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

interface Ctx {
  t: TestContext;
  name: string;
  mac: string;
}

interface Row {
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

describe('anvil why: a table of injected failures, each with its own diagnosis', { concurrency: 8 }, () => {
  let anvil: Anvil;
  let api: ApiClient;
  let api76: ApiClient;
  let images: ImageServer;
  let stall: Awaited<ReturnType<typeof stallServer>>;
  let tftpPort: number;
  let deadPort: number;
  let dbDir: string;
  let db: Database;
  const bmcs: Peer[] = [];
  const streamed: StreamedEvent[] = [];
  const events = new AbortController();
  const withEvent = new Set<string>();
  const image = wholeDiskImage();
  const tftp = () => ({ host: '127.0.0.1', port: tftpPort });

  before(async () => {
    [images, stall, tftpPort, deadPort] = await Promise.all([startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'disk.raw': image }), stallServer(), freeUdpPort(), freeTcpPort()]);
    dbDir = mkdtempSync(join(tmpdir(), 'anvil-why-'));
    anvil = await startAnvil({
      database_url: `sqlite://${join(dbDir, 'anvil.sqlite')}`,
      pxe_tftp_port: tftpPort,
      dhcp_provider: 'dnsmasq',
      automated_clean: false,
      // long enough for a loaded 2-core machine to PXE-boot the simulated ramdisk, short enough for the table
      deploy_callback_timeout: 10,
      clean_callback_timeout: 10,
      check_provision_state_interval: 1,
      ...FAST_DEPLOY_SETTINGS,
      ipmi_attempt_timeout: 0.3,
      ipmi_retries: 1,
      deploy_logs_collect: 'never',
    });
    api = apiClient(anvil.url);
    api76 = apiClient(anvil.url, '1.76');
    void collectEvents(`${anvil.url}/v1/anvil/events`, streamed, events);
    db = await openDatabase({ data_dir: dbDir, database_url: `sqlite://${join(dbDir, 'anvil.sqlite')}` } as never, { migrate: false });
  });
  after(async () => {
    events.abort();
    await anvil?.stop();
    await db?.close();
    await Promise.all([images?.stop(), stall?.stop(), ...bmcs.map((b) => b.stop())]);
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  });

  async function bmc(): Promise<Peer> {
    const b = await startIpmiSim();
    bmcs.push(b);
    return b;
  }

  /** An ipmi + pxe + direct + flat node with one port; driver_info / instance_info / fields overridden per row. */
  async function node(c: Ctx, o: { bmc?: Peer; driverInfo?: Record<string, unknown>; instanceInfo?: Record<string, unknown>; fields?: Record<string, unknown> } = {}) {
    const b = o.bmc ?? (await bmc());
    const n = await api('POST', '/nodes', {
      name: c.name,
      driver: 'ipmi',
      boot_interface: 'pxe',
      deploy_interface: 'direct',
      network_interface: 'flat',
      driver_info: { ...ipmiDriverInfo(b, images.url), ...o.driverInfo },
      instance_info: { image_source: `${images.url}/disk.raw`, image_os_hash_algo: 'sha512', image_os_hash_value: hash('sha512', image), image_checksum: hash('md5', image), ...o.instanceInfo },
      ...o.fields,
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    assert.equal((await api('POST', '/ports', { node_uuid: n.body.uuid, address: c.mac })).status, 201);
    return { uuid: n.body.uuid as string, bmc: b };
  }

  async function verb(name: string, target: string, extra: Record<string, unknown> = {}) {
    const r = await api('PUT', `/nodes/${name}/states/provision`, { target, ...extra });
    assert.equal(r.status, 202, `${target} ${name}: ${JSON.stringify(r.body)}`);
  }

  async function manageable(c: Ctx, o: Parameters<typeof node>[1] = {}) {
    const n = await node(c, o);
    await verb(c.name, 'manage');
    await waitState(api, c.name, 'manageable');
    return n;
  }

  async function available(c: Ctx, o: Parameters<typeof node>[1] = {}) {
    const n = await manageable(c, o);
    await verb(c.name, 'provide');
    await waitState(api, c.name, 'available');
    return n;
  }

  /** Deploy and wait for deploy failed. */
  async function deployFails(c: Ctx, ms = 30_000) {
    await verb(c.name, 'active');
    return waitState(api, c.name, 'deploy failed', ms);
  }

  const untilLastError = (name: string, ms = 20_000) =>
    until(`last_error on ${name}`, async () => {
      const n = (await api('GET', `/nodes/${name}`)).body;
      return n.last_error && !n.target_provision_state ? n : undefined;
    }, ms);

  const ROWS: Row[] = [
    {
      name: 'wrong BMC password (manage → verify)',
      code: 'bmc.auth_failed',
      run: async (c) => {
        await node(c, { driverInfo: { ipmi_password: 'not-the-password' } });
        await verb(c.name, 'manage');
        await untilLastError(c.name);
        return c.name;
      },
      cause: /refused the credentials/,
      hint: /ipmi_password/,
    },
    {
      name: 'unreachable BMC (manage → verify)',
      code: 'bmc.unreachable',
      run: async (c) => {
        await node(c, { driverInfo: { ipmi_port: await freeUdpPort() } });
        await verb(c.name, 'manage');
        await untilLastError(c.name);
        return c.name;
      },
      cause: /BMC at 127\.0\.0\.1:\d+ did not answer/,
      hint: /ipmi_address/,
    },
    {
      name: 'BMC gone before a power action',
      code: 'bmc.unreachable',
      run: async (c) => {
        const { bmc: b } = await available(c);
        await b.stop();
        assert.equal((await api('PUT', `/nodes/${c.name}/states/power`, { target: 'power on' })).status, 202);
        await until('power failure', async () => ((await api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
        return c.name;
      },
      cause: /did not answer/,
      hint: /UDP 623/,
    },
    {
      name: 'BMC password changed before a power action',
      code: 'bmc.auth_failed',
      run: async (c) => {
        await available(c);
        assert.equal((await api('PATCH', `/nodes/${c.name}`, [{ op: 'replace', path: '/driver_info/ipmi_password', value: 'changed' }])).status, 200);
        assert.equal((await api('PUT', `/nodes/${c.name}/states/power`, { target: 'power on' })).status, 202);
        await until('power failure', async () => ((await api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
        return c.name;
      },
      cause: /refused the credentials/,
      hint: /ipmi_password/,
      step: /power/,
    },
    {
      name: 'BMC gone while the agent writes the image',
      code: 'bmc.unreachable',
      run: async (c) => {
        const { bmc: b } = await available(c);
        const { machine } = startSim(c.t, b, c.mac, tftp(), { name: c.name });
        await verb(c.name, 'active');
        await until('the agent is up', async () => machine.agent?.token ?? undefined, 20_000);
        await b.stop();
        await waitState(api, c.name, 'deploy failed', 40_000);
        return c.name;
      },
      cause: /did not answer/,
      hint: /ipmi_address/,
      step: /deploy\./,
    },
    {
      name: 'driver_info without ipmi_address',
      code: 'driver.invalid_config',
      run: async (c) => {
        await node(c, { driverInfo: { ipmi_address: undefined } });
        await verb(c.name, 'manage');
        await untilLastError(c.name);
        return c.name;
      },
      cause: /Missing .*ipmi_address/,
      hint: /baremetal node validate/,
    },
    {
      name: 'missing deploy kernel (404)',
      code: 'boot.deploy_image_unavailable',
      run: async (c) => {
        await available(c, { driverInfo: { deploy_kernel: `${images.url}/no-such-kernel` } });
        await deployFails(c);
        return c.name;
      },
      cause: /no-such-kernel/,
      hint: /deploy_kernel/,
    },
    {
      name: 'missing deploy kernel during manual cleaning',
      code: 'boot.deploy_image_unavailable',
      run: async (c) => {
        await manageable(c, { driverInfo: { deploy_ramdisk: `${images.url}/no-such-ramdisk` } });
        await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
        await waitState(api, c.name, 'clean failed', 20_000);
        return c.name;
      },
      cause: /no-such-ramdisk/,
      hint: /deploy_ramdisk/,
    },
    {
      name: 'bad image checksum',
      code: 'image.checksum_mismatch',
      run: async (c) => {
        const { bmc: b } = await available(c, { instanceInfo: { image_os_hash_value: hash('sha512', Buffer.from('other')) } });
        startSim(c.t, b, c.mac, tftp(), { name: c.name });
        await deployFails(c);
        return c.name;
      },
      cause: /checksum does not match/,
      hint: /image_os_hash_value/,
      step: /deploy\.write_image/,
    },
    {
      name: 'image URL 404',
      code: 'image.unreachable',
      run: async (c) => {
        const { bmc: b } = await available(c, { instanceInfo: { image_source: `${images.url}/no-such-image.raw` } });
        startSim(c.t, b, c.mac, tftp(), { name: c.name });
        await deployFails(c);
        return c.name;
      },
      cause: /HTTP 404/,
      hint: /image_source/,
      step: /deploy\.write_image/,
    },
    {
      name: 'TFTP file not found (UEFI firmware, node set to BIOS)',
      code: 'boot.tftp_file_not_found',
      run: async (c) => {
        const { bmc: b } = await available(c, { fields: { properties: { capabilities: 'boot_mode:bios' } } });
        startSim(c.t, b, c.mac, tftp(), { name: c.name, bootMode: 'uefi' });
        await deployFails(c);
        return c.name;
      },
      cause: new RegExp('TFTP file not found: grub\\.cfg-01-'),
      hint: /boot mode/,
    },
    {
      name: 'the machine never network-boots (no agent)',
      code: 'boot.no_tftp_request',
      run: async (c) => {
        await available(c);
        await verb(c.name, 'active');
        // while it waits: what for and until when
        const waiting = await until('why shows the callback deadline', async () => {
          const r = JSON.parse((await why([c.name, '-f', 'json', '--endpoint', anvil.url])).out);
          return r.node.provision_state === 'wait call-back' ? r : undefined;
        });
        assert.match(waiting.waiting.for, /deploy_callback_timeout 10/);
        assert.ok(Date.parse(waiting.waiting.until) > Date.now() - 1000 && waiting.waiting.seconds_left <= 10, JSON.stringify(waiting.waiting));
        assert.deepEqual(waiting.scheduling, ['not available (provision_state wait call-back)'], 'nova-bridge reasons');
        await waitState(api, c.name, 'deploy failed', 30_000);
        return c.name;
      },
      cause: /DHCP answered but no TFTP request came/,
      hint: /network-boots/,
    },
    {
      name: 'kernel fetched, the ramdisk cannot reach the API',
      code: 'agent.no_lookup',
      run: async (c) => {
        const { bmc: b } = await available(c);
        // the ramdisk boots with an ipa-api-url nobody listens on
        startSim(c.t, b, c.mac, tftp(), { name: c.name, ipaApiUrl: `http://127.0.0.1:${deadPort}` });
        await deployFails(c);
        return c.name;
      },
      cause: /no lookup came within/,
      hint: /ipa-api-url/,
    },
    {
      name: 'lookup from a MAC no port has',
      code: 'agent.lookup_rejected',
      where: 'mac',
      run: async (c) => {
        const dir = mkdtempSync(join(tmpdir(), 'anvil-why-agent-'));
        const agent = new SimAgent({ apiUrl: anvil.url, macs: [c.mac], disk: new FileDisk(join(dir, 'd.img'), 1024 * 1024), powerOff: async () => undefined, heartbeatMs: 500 });
        c.t.after(async () => {
          await agent.stop();
          rmSync(dir, { recursive: true, force: true });
        });
        await agent.start();
        await until('a rejected lookup', async () => agent.lookups.includes(404) || undefined, 15_000);
        return c.mac;
      },
      cause: /lookup from a MAC no port has/,
      hint: /ports/,
    },
    {
      name: 'power lost mid-deploy: heartbeats stop at the running step',
      code: 'agent.no_heartbeat',
      run: async (c) => {
        const { bmc: b, uuid } = await available(c, { instanceInfo: { image_source: `${stall.url}/disk.raw` } });
        const { machine } = startSim(c.t, b, c.mac, tftp(), { name: c.name });
        await verb(c.name, 'active');
        await until('a heartbeat during write_image', async () => (await db.bootTrace.list({ nodeUuid: uuid })).some((e) => e.kind === 'heartbeat' && e.step === 'deploy.write_image') || undefined, 20_000);
        await machine.stop(); // the host loses power: no more heartbeats
        await waitState(api, c.name, 'deploy failed', 30_000);
        return c.name;
      },
      cause: /Heartbeats stopped at step deploy\.write_image/,
      hint: /console/,
      step: /deploy\.write_image/,
    },
    {
      name: 'a clean step that fails in the agent (disk gone)',
      code: 'clean.step_failed',
      run: async (c) => {
        const { bmc: b } = await manageable(c);
        const sim = startSim(c.t, b, c.mac, tftp(), { name: c.name });
        rmSync(join(sim.dir, 'disk.img')); // the machine's disk is gone: erasing it fails in the agent
        await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
        await waitState(api, c.name, 'clean failed', 30_000);
        return c.name;
      },
      cause: /Clean step deploy\.erase_devices_metadata failed: .*ENOENT/,
      hint: /maintenance unset/,
      step: /deploy\.erase_devices_metadata/,
    },
    {
      name: 'cleaning aborted by the operator',
      code: 'operation.aborted',
      run: async (c) => {
        await manageable(c);
        await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
        await waitState(api, c.name, 'clean wait', 20_000);
        await verb(c.name, 'abort');
        await waitState(api, c.name, 'clean failed', 20_000);
        return c.name;
      },
      cause: /aborted/,
      hint: /start the operation again/,
    },
    {
      name: 'adoption without a deploy kernel',
      code: 'adopt.failed',
      run: async (c) => {
        await manageable(c, { driverInfo: { deploy_kernel: undefined } });
        await verb(c.name, 'adopt');
        await waitState(api, c.name, 'adopt failed', 20_000);
        return c.name;
      },
      cause: /Adoption failed: Missing .*deploy_kernel/,
      hint: /baremetal node validate/,
    },
    {
      name: 'boot mode change the driver cannot do',
      code: 'driver.operation_failed',
      run: async (c) => {
        await manageable(c);
        const r = await api76('PUT', `/nodes/${c.name}/states/boot_mode`, { target: 'uefi' });
        assert.equal(r.status, 202, JSON.stringify(r.body));
        await until('boot mode failure', async () => ((await api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
        return c.name;
      },
      cause: /boot mode/,
      hint: /driver property list/,
    },
    {
      name: 'a node locked by a running deploy (deploy kernel server stalls)',
      code: 'lock.held',
      where: 'current',
      run: async (c) => {
        await available(c, { driverInfo: { deploy_kernel: `${stall.url}/kernel` } });
        await verb(c.name, 'active');
        const holder = await until('reservation', async () => (await api('GET', `/nodes/${c.name}`)).body.reservation || undefined, 10_000);
        // the 409 keeps Ironic's body and names the holder and since when
        const r = await fetch(`${anvil.url}/v1/nodes/${c.name}/states/power`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.46' }, body: JSON.stringify({ target: 'power off' }) });
        assert.equal(r.status, 409);
        assert.match(JSON.parse(((await r.json()) as { error_message: string }).error_message).faultstring, new RegExp(`is locked by host ${holder}, please retry`));
        assert.equal(r.headers.get('x-anvil-lock-holder'), holder);
        assert.ok(Date.parse(r.headers.get('x-anvil-locked-since') ?? '') <= Date.now());
        const w = JSON.parse((await why([c.name, '-f', 'json', '--endpoint', anvil.url])).out);
        assert.equal(w.lock.holder, holder);
        assert.equal(w.lock.alive, true);
        assert.equal(w.lock.since, r.headers.get('x-anvil-locked-since'));
        return c.name;
      },
      cause: /holds the node's lock since/,
      hint: /409/,
    },
    {
      name: 'a conductor died holding the lock of a deploying node',
      code: 'conductor.lost',
      run: async (c) => {
        const { uuid } = await available(c);
        // a second conductor that registered, took the node's lock mid-deploy, then stopped heartbeating
        await busyRetry(async () => {
          await db.conductors.register('ghost-conductor', 'ghosts', ['ipmi']); // its own group: the live ring stays whole
          await db.nodes.update(uuid, { provision_state: 'deploying', target_provision_state: 'active' });
          await db.nodes.reserve(uuid, 'ghost-conductor');
        });
        await waitState(api, c.name, 'deploy failed', 30_000);
        return c.name;
      },
      cause: /Conductor ghost-conductor stopped heartbeating/,
      hint: /another conductor owns it/,
    },
  ];

  test('the boot trace of a simulated PXE deploy shows every step in order', { timeout: 90_000 }, async (t) => {
    const c: Ctx = { t, name: 'why-trace', mac: '52:54:00:18:01:01' };
    const { bmc: b, uuid } = await available(c);
    startSim(t, b, c.mac, tftp(), { name: c.name });
    await verb(c.name, 'active');
    await waitState(api, c.name, 'active', 40_000);
    const r = await fetch(`${anvil.url}/v1/anvil/nodes/${c.name}/boot-trace`);
    assert.equal(r.status, 200);
    const { events, lines, diagnosis } = (await r.json()) as { events: { kind: string; result: string; detail: string; step?: string }[]; lines: string[]; diagnosis: unknown };
    const hy = c.mac.replace(/:/g, '-');
    const want: [string, RegExp][] = [
      ['dhcp', /dnsmasq host and options written/],
      ['bmc', /^boot device pxe$/],
      ['bmc', /^(power on|reboot)$/],
      ['tftp', new RegExp(`^grub\\.cfg-01-${hy}$`)],
      ['tftp', new RegExp(`^${uuid}/deploy_kernel$`)],
      ['tftp', new RegExp(`^${uuid}/deploy_ramdisk$`)],
      ['lookup', new RegExp(`^node ${uuid}`)],
      ['heartbeat', /wait call-back/],
      ['bmc', /^boot device disk \(persistent\)$/],
      ['bmc', /^(power on|reboot)$/],
    ];
    let at = 0;
    for (const [kind, detail] of want) {
      const found = events.findIndex((e, i) => i >= at && e.kind === kind && e.result === 'ok' && detail.test(e.detail));
      assert.ok(found >= 0, `${kind} ${detail} after event ${at}:\n${lines.join('\n')}`);
      at = found + 1;
    }
    assert.ok(events.some((e) => e.kind === 'heartbeat' && e.step === 'deploy.write_image'), 'a heartbeat names the running step');
    // (a heartbeat already in flight when the deploy ends may be refused: the token is gone by then)
    assert.equal(events.filter((e) => e.kind !== 'heartbeat' && e.result !== 'ok').length, 0, lines.join('\n'));
    assert.equal(diagnosis, null, 'nothing wrong in a good deploy');
    const text = (await why([c.name, '--endpoint', anvil.url])).out;
    assert.match(text, /boot trace \(\d+ events\)/);
    assert.match(text, /tftp ok grub\.cfg-01-/);
  });

  after(() => {
    // checked once every row ran: the failures that moved the node were streamed with their diagnosis
    assert.ok(withEvent.size >= 10, `rows whose diagnosis came with a node event: ${[...withEvent].join(', ')}`);
  });

  let i = 0;
  for (const row of ROWS) {
    const n = ++i;
    test(`${row.code}: ${row.name}`, { timeout: 90_000 }, async (t) => {
      const c: Ctx = { t, name: `why-${n}`, mac: `52:54:00:18:00:${n.toString(16).padStart(2, '0')}` };
      const ident = await row.run(c);
      const where = row.where ?? 'last_failure';
      // the JSON form: the code, cause, hint and step
      const json = await until(
        `diagnosis ${row.code} of ${ident}`,
        async () => {
          const r = await why([ident, '-f', 'json', '--endpoint', anvil.url]);
          assert.equal(r.code, 0, r.err);
          const body = JSON.parse(r.out);
          const d = where === 'mac' ? body.diagnosis : where === 'current' ? body.current : body.last_failure?.diagnosis;
          return d?.code === row.code ? { body, d } : undefined;
        },
        30_000,
        async () => (await why([ident, '--endpoint', anvil.url])).out,
      );
      assert.match(json.d.cause, row.cause);
      assert.match(json.d.hint, row.hint);
      if (row.step) assert.match(json.d.step ?? '', row.step);
      assert.ok(!json.d.cause.includes('\n'));
      // the text form prints the code, cause and hint (the first row through the real `anvil why` binary)
      const text = n === 1 ? await anvilWhyBinary(ident, anvil.url) : (await why([ident, '--endpoint', anvil.url])).out;
      assert.ok(text.includes(row.code), text);
      assert.ok(text.includes(json.d.hint), text);
      if (where === 'last_failure') {
        // recorded beside last_error, with Ironic's last_error untouched
        const node = (await api('GET', `/nodes/${ident}`)).body;
        assert.equal(json.body.last_failure.last_error, node.last_error);
        const recorded = (await db.diagnoses.list(node.uuid)).filter((d) => d.last_error === node.last_error).at(-1);
        assert.equal(recorded?.code, row.code);
        // every ERROR entry of the node history carries a diagnosis
        const history = (await (await fetch(`${anvil.url}/v1/anvil/nodes/${node.uuid}/history`)).json()) as { history: { severity: string; event: string; diagnosis: { code: string } | null }[] };
        for (const h of history.history.filter((e) => e.severity === 'ERROR')) assert.ok(h.diagnosis && h.diagnosis.code !== 'unclassified', `history entry "${h.event}" has a diagnosis`);
        // node events that carried this last_error carried its diagnosis
        for (const e of streamed.filter((x) => x.uuid === node.uuid && x.last_error === node.last_error)) {
          assert.equal(e.diagnosis?.code, row.code, JSON.stringify(e));
          withEvent.add(row.name);
        }
      }
    });
  }
});
