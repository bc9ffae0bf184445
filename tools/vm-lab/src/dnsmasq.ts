/**
 * dnsmasq on the lab bridge, inside the namespace: DHCP only (no DNS), a dynamic range, and the per-port host and
 * option files Anvil's `dnsmasq` DHCP provider writes (dhcp-hostsdir / dhcp-optsdir, re-read on change). iPXE
 * clients are tagged `ipxe` (option 175) as in Ironic's dnsmasq setup, so they get the iPXE script URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNet } from './netns.ts';

export interface Dnsmasq {
  hostsDir: string;
  optsDir: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startDnsmasq(net: LabNet, dir: string): Promise<Dnsmasq> {
  const hostsDir = join(dir, 'hostsdir');
  const optsDir = join(dir, 'optsdir');
  mkdirSync(hostsDir, { recursive: true });
  mkdirSync(optsDir, { recursive: true });
  const logFile = join(dir, 'dnsmasq.log');
  const args = [
    'netns', 'exec', net.ns, 'dnsmasq',
    '--keep-in-foreground', '--conf-file=/dev/null', '--port=0', '--no-resolv', '--no-hosts', '--user=root',
    `--interface=${net.bridge}`, '--bind-interfaces',
    `--dhcp-range=${net.prefix}.100,${net.prefix}.199,255.255.255.0,1h`,
    '--dhcp-option=3', '--dhcp-option=6', // no router, no DNS: nothing leaves the bridge
    `--dhcp-hostsdir=${hostsDir}`, `--dhcp-optsdir=${optsDir}`,
    '--dhcp-match=set:ipxe,175',
    `--dhcp-leasefile=${join(dir, 'leases')}`,
    '--log-dhcp', `--log-facility=${logFile}`,
  ];
  const child: ChildProcess = spawn('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  await new Promise((r) => setTimeout(r, 500));
  if (child.exitCode !== null) throw new Error(`dnsmasq exited (${child.exitCode}): ${err}`);
  return {
    hostsDir,
    optsDir,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}
