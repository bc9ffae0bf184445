/**
 * Redfish peers for the tests: sushy-emulator (sushy-tools' --fake systems driver, several systems, optional basic
 * auth and TLS) and sushy-static mockups with vendor quirks, started through sushy_launch.py with the venv that
 * scripts/services/sushy.sh installs (ANVIL_SUSHY_PYTHON). Each peer gets a free 127.0.0.1 port and its own dir.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../free-port.ts';
import { type MockupOptions, writeMockup } from './mockups.ts';

const here = dirname(fileURLToPath(import.meta.url));
const LAUNCH = join(here, 'sushy_launch.py');

export function sushyPython(): string {
  const py = process.env.ANVIL_SUSHY_PYTHON ?? join(here, '..', '..', '.tmp', 'sushy', 'venv', 'bin', 'python');
  if (!existsSync(py)) throw new Error(`sushy-tools is not installed (${py}): run scripts/services/sushy.sh start`);
  return py;
}

export interface FakeSystem {
  uuid: string;
  name: string;
  mac: string;
  power_state?: 'On' | 'Off';
  /** drives of this size in the system's Storage "1" (SUSHY_EMULATOR_STORAGE/DRIVES), D0, D1, ... */
  diskBytes?: number;
  /** how many such drives (default 1); RAID volumes on them through sushy_launch.py's Volumes */
  drives?: number;
  /** its Volumes support the Immediate apply time (a POST answers 201, no task, no reset); else OnReset only */
  raidImmediate?: boolean;
}

export interface Peer {
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function waitUp(url: string, proc: ChildProcess, out: () => string, tls = false): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sushy peer exited (${proc.exitCode}): ${out().slice(-2000)}`);
    try {
      if (tls) {
        execFileSync('curl', ['-sk', '-o', '/dev/null', `${url}/redfish/v1/`], { timeout: 2000 });
        return;
      }
      const r = await fetch(`${url}/redfish/v1/`, { signal: AbortSignal.timeout(1000) });
      if (r.status > 0) return; // any HTTP answer (a 500-answering mockup too)
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`sushy peer at ${url} did not come up: ${out().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function launch(args: string[], env: Record<string, string>, dir: string): { proc: ChildProcess; output: () => string } {
  let log = '';
  const proc = spawn(sushyPython(), [LAUNCH, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => (log = (log + d).slice(-20000)));
  proc.stderr!.on('data', (d) => (log = (log + d).slice(-20000)));
  return { proc, output: () => log };
}

function stopper(proc: ChildProcess, dir: string) {
  return async () => {
    if (proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** A self-signed certificate for 127.0.0.1 (openssl), for the TLS tests. */
export function selfSigned(dir: string, cn = '127.0.0.1'): { cert: string; key: string } {
  const cert = join(dir, `${cn}.crt`);
  const key = join(dir, `${cn}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=IP:${cn}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

export interface EmulatorOptions {
  systems: FakeSystem[];
  /** fixed power change delay in seconds (sushy-tools' own: random 1-11 s); undefined keeps the emulator's */
  powerDelay?: number;
  /** basic auth user: [username, password] (bcrypt htpasswd file, as sushy-tools wants) */
  auth?: [string, string];
  tls?: boolean;
}

export async function startEmulator(o: EmulatorOptions): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sushy-'));
  const port = await freePort();
  const systems = o.systems.map((s) => ({ uuid: s.uuid, name: s.name, power_state: s.power_state ?? 'Off', external_notifier: false, nics: [{ mac: s.mac, ip: '127.0.0.1' }] }));
  const conf = [
    `SUSHY_EMULATOR_LISTEN_IP = '127.0.0.1'`,
    `SUSHY_EMULATOR_LISTEN_PORT = ${port}`,
    `SUSHY_EMULATOR_FAKE_DRIVER = True`,
    `SUSHY_EMULATOR_STATE_DIR = ${JSON.stringify(join(dir, 'state'))}`,
    `SUSHY_EMULATOR_FAKE_SYSTEMS = ${JSON.stringify(systems).replace(/\bfalse\b/g, 'False').replace(/\btrue\b/g, 'True')}`,
  ];
  if (o.auth) {
    const hash = execFileSync(sushyPython(), ['-c', 'import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())', o.auth[1]]).toString().trim();
    writeFileSync(join(dir, 'htpasswd'), `${o.auth[0]}:${hash}\n`);
    conf.push(`SUSHY_EMULATOR_AUTH_FILE = ${JSON.stringify(join(dir, 'htpasswd'))}`);
  }
  if (o.tls) {
    const { cert, key } = selfSigned(dir);
    conf.push(`SUSHY_EMULATOR_SSL_CERT = ${JSON.stringify(cert)}`, `SUSHY_EMULATOR_SSL_KEY = ${JSON.stringify(key)}`);
  }
  const withDisk = o.systems.filter((s) => s.diskBytes);
  if (withDisk.length) {
    const ids = (s: FakeSystem) => Array.from({ length: s.drives ?? 1 }, (_, i) => `D${i}`);
    const storage = withDisk.map((s) => `${JSON.stringify(s.uuid)}: [{"Id": "1", "Name": "Local Storage Controller", "StorageControllers": [{"MemberId": "0", "Name": "RAID", "SpeedGbps": 12}], "Drives": ${JSON.stringify(ids(s))}}]`);
    const drives = withDisk.map(
      (s) => `(${JSON.stringify(s.uuid)}, "1"): ${JSON.stringify(ids(s).map((id, i) => ({ Id: id, Name: `Disk ${i}`, CapacityBytes: s.diskBytes, Protocol: 'SATA' })))}`,
    );
    conf.push(`SUSHY_EMULATOR_STORAGE = {${storage.join(', ')}}`, `SUSHY_EMULATOR_DRIVES = {${drives.join(', ')}}`);
    conf.push(`ANVIL_RAID_IMMEDIATE = ${JSON.stringify(withDisk.filter((s) => s.raidImmediate).map((s) => s.uuid))}`);
  }
  writeFileSync(join(dir, 'emulator.conf'), `${conf.join('\n')}\n`);
  const env: Record<string, string> = {};
  if (o.powerDelay !== undefined) env.ANVIL_SUSHY_POWER_DELAY = String(o.powerDelay);
  const { proc, output } = launch(['emulator', '--config', join(dir, 'emulator.conf'), '--fake'], env, dir);
  const url = `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const stop = stopper(proc, dir);
  try {
    await waitUp(url, proc, output, o.tls);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, dir, proc, output, stop };
}

export interface StaticPeer extends Peer {
  /** requests the peer received, oldest first */
  requests(): { method: string; path: string; body: unknown }[];
}

/** sushy-static over a mockup tree (mockups.ts) with its quirks.json. */
export async function startStatic(mockup: MockupOptions = {}): Promise<StaticPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sushy-static-'));
  writeMockup(dir, mockup);
  const port = await freePort();
  const { proc, output } = launch(['static', String(port), dir], {}, dir);
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(proc, dir);
  const requests = () => {
    const f = join(dir, 'requests.jsonl');
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  try {
    await waitUp(url, proc, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, dir, proc, output, stop, requests };
}
