/**
 * The simulated NIC firmware's network boot: fetch the per-MAC config over TFTP (with the real tftp-hpa client when
 * installed, as a PXE ROM would) or HTTP (iPXE), then the kernel and ramdisk it names. Returns what was booted.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BootEntry, parseBootConfig } from './boot-config.ts';

export interface NetbootTarget {
  tftp?: { host: string; port: number };
  httpUrl?: string; // iPXE: boot.ipxe and per-MAC scripts over HTTP
  bootMode: 'uefi' | 'bios';
}

export interface BootedRamdisk extends BootEntry {
  kernelBytes: Buffer;
  initrdBytes: Buffer;
  configName: string;
}

const TFTP_BIN = process.env.ANVIL_TFTP_CLIENT ?? '/usr/bin/tftp';

export function tftpGet(host: string, port: number, remote: string): Promise<Buffer | null> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tftp-'));
  const local = join(dir, 'file');
  return new Promise((resolve) => {
    execFile(TFTP_BIN, ['-m', 'binary', host, String(port), '-c', 'get', remote, local], { timeout: 20_000 }, (err, out, stderr) => {
      try {
        if (err || /error|timed out/i.test(`${out}${stderr}`) || !existsSync(local)) resolve(null);
        else resolve(readFileSync(local));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function httpGet(url: string): Promise<Buffer | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    return r.ok ? Buffer.from(await r.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

export async function netboot(mac: string, t: NetbootTarget): Promise<BootedRamdisk | null> {
  const hyph = mac.toLowerCase().replace(/:/g, '-');
  if (t.httpUrl) {
    const base = t.httpUrl.replace(/\/+$/, '');
    const name = `pxelinux.cfg/${hyph}`;
    const script = await httpGet(`${base}/${name}`);
    const entry = script ? parseBootConfig(script.toString()) : null;
    if (!entry) return null;
    const [k, i] = await Promise.all([httpGet(entry.kernel), httpGet(entry.initrd)]);
    return k && i ? { ...entry, kernelBytes: k, initrdBytes: i, configName: name } : null;
  }
  if (!t.tftp) return null;
  const name = t.bootMode === 'bios' ? `pxelinux.cfg/01-${hyph}` : `grub.cfg-01-${hyph}`;
  const cfg = await tftpGet(t.tftp.host, t.tftp.port, name);
  const entry = cfg ? parseBootConfig(cfg.toString()) : null;
  if (!entry) return null;
  const k = await tftpGet(t.tftp.host, t.tftp.port, entry.kernel);
  const i = await tftpGet(t.tftp.host, t.tftp.port, entry.initrd);
  return k && i ? { ...entry, kernelBytes: k, initrdBytes: i, configName: name } : null;
}
