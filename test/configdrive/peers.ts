/**
 * Helpers for the config drive peer tests: run real tools (scripts/services/configdrive-tools.sh installs them; a
 * missing one fails the test naming it), scratch directories, and reading back extracted trees.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import type { DriveFile } from 'cloud-config-drive';

const PATH = `${process.env.PATH}:/usr/sbin:/sbin`;

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { env: { ...process.env, PATH } }).status === 0;
}

export const PYTHON = '/usr/bin/python3';

/** Fails `t` naming the tools that are missing (no silent skips); true when all are there. */
export function needTools(_t: TestContext, ...cmds: string[]): boolean {
  const missing = cmds.filter((c) => !have(c));
  if (missing.length === 0) return true;
  throw new Error(`missing prerequisite: ${missing.join(', ')} (bash scripts/services/configdrive-tools.sh start)`);
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): Run {
  const r = spawnSync(cmd, args, { input: opts.input, cwd: opts.cwd, env: { ...process.env, PATH, LC_ALL: 'C.UTF-8', MTOOLS_SKIP_CHECK: '1' }, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Runs and insists on exit 0. */
export function ok(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function scratch(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'anvil-cd-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Every regular file under `dir`, as relative path -> bytes. */
export function readTree(dir: string, base = dir, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else out.set(p.slice(base.length + 1), readFileSync(p));
  }
  return out;
}

/** The expected tree of a file list. */
export function expectedTree(files: readonly DriveFile[]): Map<string, Buffer> {
  return new Map(files.map((f) => [String(f.path), Buffer.from(typeof f.data === 'string' ? Buffer.from(f.data) : f.data)]));
}

export function writeTree(dir: string, files: readonly DriveFile[]): void {
  for (const [p, data] of expectedTree(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), data);
  }
}

export function sortedEntries(m: Map<string, Buffer>): [string, string][] {
  return [...m].map(([k, v]) => [k, v.toString('base64')] as [string, string]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Parses `isoinfo -l` style listings into "path size" strings (files only). */
export function parseIsoinfoListing(out: string): Map<string, number> {
  const files = new Map<string, number>();
  let dir = '/';
  for (const line of out.split('\n')) {
    const d = /^Directory listing of (.*)$/.exec(line);
    if (d) {
      dir = d[1];
      continue;
    }
    const m = /^(-\S{9})\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+\d{4}\s+\[\s*\d+\s+\d+\]\s+(.*?)\s*$/.exec(line);
    if (m) files.set(`${dir}${m[3]}`.replace(/^\//, ''), Number(m[2]));
  }
  return files;
}

export const SAMPLE_NETWORK = {
  links: [
    { id: 'tap-1', vif_id: '6ac9b6b7-dc87-4f27-9e9c-2b0a4f1d0d11', type: 'phy', mtu: 1500, ethernet_mac_address: '52:54:00:12:34:56' },
    { id: 'tap-2', vif_id: '7bd0c7c8-ed98-4038-af0d-3c1b5f2e1e22', type: 'phy', mtu: 9000, ethernet_mac_address: '52:54:00:12:34:57' },
    { id: 'vlan-100', type: 'vlan', vlan_link: 'tap-2', vlan_id: 100, vlan_mac_address: '52:54:00:12:34:57', vif_id: '8ce1d8d9-fe09-4149-b01e-4d2c60301f33' },
  ],
  networks: [
    {
      id: 'network0', type: 'ipv4', link: 'tap-1', ip_address: '10.0.0.5', netmask: '255.255.255.0', network_id: 'a3c4d6b2-1111-2222-3333-444455556666',
      routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }],
      services: [{ type: 'dns', address: '10.0.0.2' }],
    },
    { id: 'network1', type: 'ipv6', link: 'tap-1', ip_address: 'fd00::5', netmask: 'ffff:ffff:ffff:ffff::', network_id: 'b3c4d6b2-1111-2222-3333-444455556666', routes: [] },
    { id: 'network2', type: 'ipv4_dhcp', link: 'vlan-100', network_id: 'c3c4d6b2-1111-2222-3333-444455556666' },
  ],
  services: [{ type: 'dns', address: '8.8.8.8' }],
};

export const SAMPLE_META = {
  uuid: '83679162-1378-4288-a2d4-70e13ec132aa',
  name: 'web-1',
  hostname: 'web-1.novalocal',
  availability_zone: 'nova',
  launch_index: 0,
  project_id: 'f0e6e0e2a0d54c7c8f6a3b1e2d3c4b5a',
  public_keys: { mykey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv3l6n0 user@host' },
  keys: [{ name: 'mykey', type: 'ssh', data: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv3l6n0 user@host' }],
  meta: { role: 'web', dsmode: 'local' },
  devices: [{ type: 'nic', bus: 'pci', address: '0000:00:02.0', mac: '52:54:00:12:34:56', tags: ['trusted'] }],
};
