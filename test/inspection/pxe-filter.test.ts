/**
 * The dnsmasq PXE filter with a real dnsmasq: its --dhcp-hostsdir is the filter's directory; a DHCPDISCOVER per MAC
 * (a small client speaking DHCP over loopback, dnsmasq on alternate ports) is answered (DHCPOFFER) or ignored as the
 * files say. A node inspected (fake-hardware, `agent` interface unmanaged, real conductor) may boot while it is in
 * `inspect wait`, as may unknown MACs; another enrolled node's MAC may not; after the abort both are denied again
 * (dnsmasq picks the rewritten files up through inotify).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '@anvil/db';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { freeUdpPort } from '../free-port.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const DNSMASQ = '/usr/sbin/dnsmasq';
failWithout(existsSync(DNSMASQ) ? null : 'dnsmasq is not installed (bash scripts/services/deploy-tools.sh start)');

const INSPECTED = '52:54:00:7f:00:01';
const OTHER = '52:54:00:7f:00:02';
const UNKNOWN = '52:54:00:7f:00:03';
let dir: string;
let c: TestConductor;
let dnsmasq: ChildProcess;
let serverPort: number;
let clientPort: number;
let xid = 0x5000;

/** DHCPDISCOVER from `mac`; the answer is dnsmasq's own log line for that transaction. */
async function discover(mac: string): Promise<'offer' | 'ignored'> {
  const id = ++xid;
  const p = Buffer.alloc(300);
  p.set([1, 1, 6], 0); // BOOTREQUEST, ethernet, hlen 6
  p.writeUInt32BE(id, 4);
  p.writeUInt16BE(0x8000, 10); // broadcast flag
  Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16))).copy(p, 28);
  p.writeUInt32BE(0x63825363, 236); // magic cookie
  p.set([53, 1, 1, 255], 240); // DHCPDISCOVER, end
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(clientPort, '127.0.0.1', () => r()));
  await new Promise<void>((r, j) => s.send(p, serverPort, '127.0.0.1', (e) => (e ? j(e) : r())));
  s.close();
  const log = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '');
  return until(`dnsmasq's answer to ${mac}`, async () => {
    const lines = log().split('\n').filter((l) => l.includes(`${id} DHCP`));
    if (lines.some((l) => l.includes('DHCPOFFER'))) return 'offer' as const;
    if (lines.some((l) => /DHCPDISCOVER\(lo\) \S+ ignored/.test(l))) return 'ignored' as const;
    return null;
  }, 10_000, log);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pxe-filter-'));
  chmodSync(dir, 0o755); // dnsmasq drops privileges before reading the hostsdir
  const hosts = join(dir, 'hosts');
  mkdirSync(hosts, { mode: 0o755 });
  [serverPort, clientPort] = await Promise.all([freeUdpPort(), freeUdpPort()]);
  const db = await openDatabase({ data_dir: dir, database_url: null });
  c = await startTestConductor(db, { pxe_filter_driver: 'dnsmasq', pxe_filter_dhcp_hostsdir: hosts, pxe_filter_sync_period: 600, inspector_require_managed_boot: false });
  dnsmasq = spawn(DNSMASQ, [
    '--keep-in-foreground', '--conf-file=/dev/null', '--port=0', '--interface=lo', '--bind-interfaces', `--dhcp-alternate-port=${serverPort},${clientPort}`,
    '--dhcp-range=127.0.0.50,127.0.0.60', `--dhcp-hostsdir=${hosts}`, `--pid-file=${join(dir, 'pid')}`, `--dhcp-leasefile=${join(dir, 'leases')}`,
    '--log-dhcp', `--log-facility=${join(dir, 'log')}`,
  ], { stdio: 'ignore' });
  const log = join(dir, 'log');
  await until('dnsmasq started', async () => existsSync(log) && readFileSync(log, 'utf8').includes('DHCP, IP range'), 15_000);
});
after(async () => {
  dnsmasq?.kill('SIGTERM');
  await c?.stop();
  await c?.db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('only the inspected node (and unknown MACs while inspecting) may PXE-boot; denied again after the abort', async () => {
  const inspected = await c.createNode({ inspect_interface: 'agent', provision_state: 'manageable', power_state: 'power off' });
  const other = await c.createNode({ inspect_interface: 'agent', provision_state: 'manageable', power_state: 'power off' });
  await c.db.ports.create({ node_id: inspected.id, address: INSPECTED });
  await c.db.ports.create({ node_id: other.id, address: OTHER });
  const route = (n: typeof inspected) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });

  await c.rpcapi.doProvisionAction(route(inspected), 'inspect');
  await c.waitFor(inspected.uuid, (n) => n.provision_state === 'inspect wait' && n.reservation === null);
  const hosts = join(dir, 'hosts');
  assert.equal(readFileSync(join(hosts, INSPECTED), 'utf8'), `${INSPECTED}\n`);
  assert.equal(readFileSync(join(hosts, OTHER), 'utf8'), `${OTHER},ignore\n`);
  assert.equal(readFileSync(join(hosts, 'unknown_hosts_filter'), 'utf8'), '*:*:*:*:*:*\n');
  assert.equal(await discover(INSPECTED), 'offer');
  assert.equal(await discover(OTHER), 'ignored');
  assert.equal(await discover(UNKNOWN), 'offer');

  await c.rpcapi.doProvisionAction(route(inspected), 'abort');
  await c.waitFor(inspected.uuid, (n) => n.provision_state === 'inspect failed' && n.reservation === null);
  assert.equal(readFileSync(join(hosts, INSPECTED), 'utf8'), `${INSPECTED},ignore\n`);
  assert.equal(readFileSync(join(hosts, 'unknown_hosts_filter'), 'utf8'), '*:*:*:*:*:*,ignore\n');
  assert.equal(await until('dnsmasq re-read the denied MAC', async () => ((await discover(INSPECTED)) === 'ignored' ? 'ignored' : null), 10_000), 'ignored');
  assert.equal(await discover(UNKNOWN), 'ignored');
});
