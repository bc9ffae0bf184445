/**
 * Kernel/ramdisk cache like Ironic's /tftpboot/master_images: each source (file:// or http(s)://) is fetched once
 * into <cache>/<sha256(url)> (checksum verified when given: md5/sha256/sha512 by length or "algo:value"), then
 * hard-linked to per-node paths (copied when a hard link is impossible).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidParameterValue } from '@anvil/sdk';

const ALGO_BY_LEN: Record<number, string> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };

export function verifyChecksum(data: Buffer, checksum: string, what: string): void {
  const m = /^(md5|sha256|sha512):(.+)$/.exec(checksum);
  const algo = m ? m[1] : ALGO_BY_LEN[checksum.length];
  const want = (m ? m[2] : checksum).toLowerCase();
  if (!algo) throw new InvalidParameterValue(`Unrecognised checksum ${checksum} for ${what}`);
  const got = createHash(algo).update(data).digest('hex');
  if (got !== want) throw new InvalidParameterValue(`Checksum mismatch for ${what}: expected ${algo} ${want}, got ${got}`);
}

export class ImageCache {
  private readonly inflight = new Map<string, Promise<string>>();
  constructor(readonly dir: string) {}

  pathFor(url: string): string {
    return join(this.dir, createHash('sha256').update(url).digest('hex').slice(0, 40));
  }

  /** The cached master file for `url`, fetching it when absent. */
  fetch(url: string, checksum?: string | null): Promise<string> {
    const master = this.pathFor(url);
    const running = this.inflight.get(master);
    if (running) return running;
    const p = (async () => {
      if (existsSync(master)) {
        if (checksum) verifyChecksum(readFileSync(master), checksum, url);
        return master;
      }
      const data = await download(url);
      if (checksum) verifyChecksum(data, checksum, url);
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${master}.part${process.pid}`;
      writeFileSync(tmp, data);
      renameSync(tmp, master);
      return master;
    })().finally(() => this.inflight.delete(master));
    this.inflight.set(master, p);
    return p;
  }

  /** Fetch (if needed) and hard-link the master to `dest`. */
  async linkTo(url: string, dest: string, checksum?: string | null): Promise<void> {
    const master = await this.fetch(url, checksum);
    mkdirSync(dirname(dest), { recursive: true });
    if (existsSync(dest)) unlinkSync(dest);
    try {
      linkSync(master, dest);
    } catch {
      copyFileSync(master, dest);
    }
  }
}

async function download(url: string): Promise<Buffer> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidParameterValue(`Image source ${url} is not a URL (file://, http:// or https:// expected)`);
  }
  if (u.protocol === 'file:') {
    try {
      return readFileSync(fileURLToPath(u));
    } catch (err) {
      throw new InvalidParameterValue(`Cannot read image ${url}: ${(err as Error).message}`);
    }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidParameterValue(`Unsupported image source scheme in ${url}`);
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000) }).catch((err) => {
    throw new InvalidParameterValue(`Cannot download image ${url}: ${(err as Error).message}`);
  });
  if (!res.ok) throw new InvalidParameterValue(`Cannot download image ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
