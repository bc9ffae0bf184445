/**
 * Real BMC peers for tests and benchmarks, started on 127.0.0.1 high ports:
 *  - OpenIPMI's ipmi_sim with a LAN config and a chassis-control script that records power/boot to files;
 *  - a pyghmi BMC (test-peers/pyghmi_bmc.py) that records power and full boot flags to a JSON file.
 * Plus `ipmitool` helpers to cross-check what the native client does. Not part of the runtime client.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const PYGHMI_BMC = join(HERE, '../../test-peers/pyghmi_bmc.py');
export const IPMI_SIM = process.env.IPMI_SIM_BIN ?? '/usr/bin/ipmi_sim';
export const IPMITOOL = process.env.IPMITOOL_BIN ?? '/usr/bin/ipmitool';
export const PYGHMI_PYTHON = process.env.IPMI_PYGHMI_PYTHON ?? '/usr/bin/python3';

/** Why a peer cannot run here (null when it can). */
export function missingIpmiSim(): string | null {
  if (!existsSync(IPMI_SIM)) return `ipmi_sim not found at ${IPMI_SIM} (apt-get install openipmi; scripts/services/ipmi-sim.sh start)`;
  return null;
}
export function missingPyghmi(): string | null {
  const r = spawnSync(PYGHMI_PYTHON, ['-c', 'import pyghmi.ipmi.bmc'], { stdio: 'ignore' });
  return r.status === 0 ? null : `pyghmi not importable by ${PYGHMI_PYTHON} (apt-get install python3-pyghmi)`;
}
export function missingIpmitool(): string | null {
  return existsSync(IPMITOOL) ? null : `ipmitool not found at ${IPMITOOL} (apt-get install ipmitool)`;
}

/** A free UDP port on 127.0.0.1 (bound then released). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export interface BootState {
  device: string;
  persistent: boolean | null;
  efi: boolean | null;
}

export interface Peer {
  kind: 'ipmi_sim' | 'pyghmi';
  host: string;
  port: number;
  username: string;
  password: string;
  /** cipher suites the peer implements */
  suites: number[];
  /** power as recorded by the peer itself (not read over IPMI) */
  power(): 'on' | 'off';
  /** boot device as recorded by the peer; ipmi_sim records only the device ('pxe' / 'default' / 'none') */
  boot(): BootState;
  /** chassis actions the peer performed, oldest first */
  actions(): string[];
  /** change power behind the client's back (an out-of-band change) */
  setPower(state: 'on' | 'off'): void;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

const CHASSIS_SCRIPT = (dir: string) => `#!/bin/sh
# ipmi_sim chassis control: ipmi_sim <- "<dev> get <parm>..." / "<dev> set <parm> <val> ..."
d='${dir}'
dev=$1; op=$2; shift 2
echo "$op $*" >> "$d/actions"
if [ "$op" = get ]; then
  for p in "$@"; do
    case $p in
      power) v=$(cat "$d/power" 2>/dev/null || echo 0);;
      boot) v=$(cat "$d/boot" 2>/dev/null || echo none);;
      *) echo "unknown parameter $p"; exit 1;;
    esac
    echo "$p:$v"
  done
  exit 0
fi
while [ -n "$1" ]; do
  case $1 in
    power) echo "$2" > "$d/power";;
    shutdown) [ "$2" = 1 ] && [ ! -f "$d/soft-ignored" ] && echo 0 > "$d/power";;
    reset) : ;;
    identify) echo "$2" > "$d/identify";;
    boot) echo "$2" > "$d/boot";;
    *) echo "unknown parameter $1"; exit 1;;
  esac
  shift 2
done
`;

/** Start ipmi_sim on 127.0.0.1:<free port> with user admin/password (and `operator`/`oppass`). */
export async function startIpmiSim(opts: { softIgnored?: boolean; chassisScript?: boolean } = {}): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-ipmisim-'));
  const port = await freeUdpPort();
  const script = join(dir, 'chassis.sh');
  writeFileSync(script, CHASSIS_SCRIPT(dir));
  chmodSync(script, 0o755);
  writeFileSync(join(dir, 'power'), '0\n');
  if (opts.softIgnored) writeFileSync(join(dir, 'soft-ignored'), '');
  writeFileSync(
    join(dir, 'lan.conf'),
    [
      `name "anvil${port}"`,
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr 127.0.0.1 ${port}`,
      '    priv_limit admin',
      '    allowed_auths_callback none md2 md5 straight',
      '    allowed_auths_user none md2 md5 straight',
      '    allowed_auths_operator none md2 md5 straight',
      '    allowed_auths_admin none md2 md5 straight',
      '    guid a123456789abcdefa123456789abcdef',
      '  endlan',
      // without the script ipmi_sim keeps power itself (no fork per status read: used by the benchmark)
      opts.chassisScript === false ? '' : `  chassis_control "${script} 0x20"`,
      '  user 2 true "admin" "password" admin 10 none md2 md5 straight',
      '  user 3 true "operator" "oppass" operator 10 none md2 md5 straight',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cmd.conf'),
    'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nsel_enable 0x20 1000 0x0a\nmc_enable 0x20\n',
  );
  mkdirSync(join(dir, 'state'));
  const child = spawn(IPMI_SIM, ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'cmd.conf'), '-s', join(dir, 'state'), '-n'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const read = (f: string, dflt: string) => {
    try {
      return readFileSync(join(dir, f), 'utf8').trim();
    } catch {
      return dflt;
    }
  };
  const peer: Peer = {
    kind: 'ipmi_sim',
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: 'password',
    suites: [3],
    power: () => (read('power', '0') === '1' ? 'on' : 'off'),
    boot: () => ({ device: read('boot', 'none'), persistent: null, efi: null }),
    actions: () => read('actions', '').split('\n').filter((l) => l.startsWith('set ')).map((l) => l.slice(4)),
    setPower: (s) => writeFileSync(join(dir, 'power'), s === 'on' ? '1\n' : '0\n'),
    stop: () => stopChild(child, dir),
  };
  await waitReady(port, child);
  return peer;
}

/** Start the pyghmi BMC on 127.0.0.1:<free port> with admin/password; suites 3 and 17. */
export async function startPyghmi(opts: { softIgnored?: boolean; kgHex?: string; port?: number } = {}): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-pyghmi-'));
  const port = opts.port ?? (await freeUdpPort());
  const stateFile = join(dir, 'state.json');
  const args = [PYGHMI_BMC, '--port', String(port), '--state', stateFile];
  if (opts.softIgnored) args.push('--soft-ignored');
  if (opts.kgHex) args.push('--kg-hex', opts.kgHex);
  const child = spawn(PYGHMI_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`pyghmi BMC did not start: ${out}`)), 15000);
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('READY')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`pyghmi BMC exited (${code}): ${out}`));
    });
  });
  const state = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { power: 'on' | 'off'; boot: BootState; actions: string[] };
  return {
    kind: 'pyghmi',
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: 'password',
    suites: [3, 17],
    power: () => state().power,
    boot: () => {
      const b = state().boot;
      return { device: b.device, persistent: b.persistent, efi: b.efi };
    },
    actions: () => state().actions.filter((a) => !a.startsWith('bootparam')),
    setPower: () => {
      throw new Error('the pyghmi BMC keeps power in memory; use ipmitool to change it out of band');
    },
    stop: () => stopChild(child, dir),
  };
}

/** ipmi_sim has no "ready" line: wait until it answers an ASF ping. */
async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const { UdpTransport } = await import('../transport.ts');
  const { IpmiClient } = await import('../client.ts');
  const t = await UdpTransport.open({ bindAddress: '127.0.0.1' });
  try {
    const c = new IpmiClient({ host: '127.0.0.1', port, transport: t, timeoutMs: 100, retries: 50 });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    await c.asfPing();
    if (exited) throw new Error('ipmi_sim exited at start');
  } finally {
    await t.close();
  }
}

/** Run ipmitool -I lanplus against a peer; resolves stdout (rejects with stderr on failure). */
export function ipmitool(peer: Pick<Peer, 'host' | 'port' | 'username' | 'password'>, suite: number, ...args: string[]): Promise<string> {
  const full = ['-I', 'lanplus', '-C', String(suite), '-H', peer.host, '-p', String(peer.port), '-U', peer.username, '-P', peer.password, '-R', '2', '-N', '1', ...args];
  return new Promise((resolve, reject) => {
    execFile(IPMITOOL, full, { timeout: 20000 }, (err, stdout, stderr) => {
      // ipmitool sometimes exits 0 after "Unable to establish IPMI v2 / RMCP+ session": treat that as a failure too
      if (err || /Unable to establish/.test(stderr)) reject(new Error(`ipmitool ${args.join(' ')} failed: ${stderr || err?.message}`));
      else resolve(stdout);
    });
  });
}
