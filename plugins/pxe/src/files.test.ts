/**
 * What the boot interfaces write: PXE/GRUB/iPXE configs, DHCP options (a real dnsmasq reads the hostsdir/optsdir
 * files without complaint), and the master image cache (file:// and http:// sources, checksums, hard links).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { dhcpOptions, dnsmasqHostLine, dnsmasqOptLines } from './dhcp-options.ts';
import { ImageCache } from './image-cache.ts';
import { resolveInside } from './safe-path.ts';
import { grubConfig, grubMacName, ipxeConfig, ipxeMacName, pxelinuxConfig, pxelinuxMacName } from './templates.ts';
import { until } from '../../../test/wait.ts';

const DNSMASQ = '/usr/sbin/dnsmasq';

test('configs carry kernel, initrd and ipa-api-url; MAC file names as pxelinux/GRUB/iPXE look them up', () => {
  const p = { label: 'deploy' as const, kernel: 'u/deploy_kernel', ramdisk: 'u/deploy_ramdisk', apiUrl: 'http://10.0.0.1:6385', appendParams: 'nofb' };
  const pxe = pxelinuxConfig(p);
  assert.match(pxe, /^default deploy$/m);
  assert.match(pxe, /^kernel u\/deploy_kernel$/m);
  assert.match(pxe, /^append initrd=u\/deploy_ramdisk nofb ipa-api-url=http:\/\/10\.0\.0\.1:6385/m);
  const grub = grubConfig(p);
  assert.match(grub, /linuxefi u\/deploy_kernel nofb ipa-api-url=http:\/\/10\.0\.0\.1:6385/);
  assert.match(grub, /initrdefi u\/deploy_ramdisk/);
  const ipxe = ipxeConfig({ ...p, kernel: 'http://h/u/deploy_kernel', ramdisk: 'http://h/u/deploy_ramdisk' });
  assert.match(ipxe, /^#!ipxe/);
  assert.match(ipxe, /kernel --timeout 60000 http:\/\/h\/u\/deploy_kernel .*initrd=deploy_ramdisk/);
  assert.equal(pxelinuxMacName('52:54:00:AA:BB:01'), '01-52-54-00-aa-bb-01');
  assert.equal(grubMacName('52:54:00:aa:bb:01'), 'grub.cfg-01-52-54-00-aa-bb-01');
  assert.equal(ipxeMacName('52:54:00:AA:BB:01'), '52-54-00-aa-bb-01');
});

test('DHCP options: 67/210/66/150/server-ip-address, iPXE tags; dnsmasq lines skip server-ip-address', () => {
  const o = dhcpOptions({ ipxe: true, bootfile: 'snponly.efi', ipxeScriptUrl: 'http://h/boot.ipxe', tftpServer: '10.0.0.1', tftpRootPrefix: '/tftpboot/' });
  assert.deepEqual(o.map((x) => [x.opt_name, x.opt_value]), [
    ['tag:!ipxe,67', 'snponly.efi'],
    ['tag:ipxe,67', 'http://h/boot.ipxe'],
    ['210', '/tftpboot/'],
    ['66', '10.0.0.1'],
    ['150', '10.0.0.1'],
    ['server-ip-address', '10.0.0.1'],
  ]);
  assert.ok(dnsmasqOptLines('p1', o).every((l) => l.startsWith('tag:p1,') && !l.includes('server-ip-address')));
  assert.equal(dnsmasqHostLine('52:54:00:AA:BB:01', 'p1'), '52:54:00:aa:bb:01,set:p1,set:ironic');
});

test('a real dnsmasq reads the hostsdir and optsdir files without errors', async () => {
  if (!existsSync(DNSMASQ)) throw new Error('missing prerequisite: dnsmasq is not installed (bash scripts/services/deploy-tools.sh start)');
  const dir = mkdtempSync(join(tmpdir(), 'dnsmasq-'));
  try {
    chmodSync(dir, 0o755); // dnsmasq drops to an unprivileged user before reading the directories
    mkdirSync(join(dir, 'hosts'), { mode: 0o755 });
    mkdirSync(join(dir, 'opts'), { mode: 0o755 });
    for (const ipxe of [false, true]) {
      const tag = ipxe ? 'port-ipxe' : 'port-pxe';
      const o = dhcpOptions({ ipxe, bootfile: ipxe ? 'undionly.kpxe' : 'pxelinux.0', ipxeScriptUrl: 'http://127.0.0.1:8088/boot.ipxe', tftpServer: '127.0.0.1', tftpRootPrefix: '/tftpboot/' });
      writeFileSync(join(dir, 'opts', tag), `${dnsmasqOptLines(tag, o).join('\n')}\n`);
      writeFileSync(join(dir, 'hosts', tag), `${dnsmasqHostLine(ipxe ? '52:54:00:00:00:02' : '52:54:00:00:00:01', tag)}\n`);
    }
    const args = [
      '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null', '--port=0', '--interface=lo', '--bind-interfaces',
      '--dhcp-alternate-port=16767,16768', '--dhcp-range=127.0.0.50,127.0.0.60', `--dhcp-hostsdir=${join(dir, 'hosts')}`,
      `--dhcp-optsdir=${join(dir, 'opts')}`, `--pid-file=${join(dir, 'pid')}`, `--dhcp-leasefile=${join(dir, 'leases')}`,
    ];
    const child = spawn(DNSMASQ, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // dnsmasq reads both directories at start-up and logs each file it read (a slow start takes longer than any
    // fixed wait); an error would be logged among those lines
    await until('dnsmasq to log the four files it read', async () => (out.match(/read \//g) ?? []).length >= 4 || child.exitCode !== null, 30_000, () => out);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    assert.equal((out.match(/read \//g) ?? []).length, 4, out);
    assert.doesNotMatch(out, /bad |error|failed/i, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('image cache: file:// and http:// sources fetched once, checksum checked, hard-linked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  const data = Buffer.from('kernel bytes\n'.repeat(100));
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/k`;
  try {
    const cache = new ImageCache(join(dir, 'master_images'));
    const sha = createHash('sha256').update(data).digest('hex');
    await cache.linkTo(url, join(dir, 'n1', 'deploy_kernel'), sha);
    await cache.linkTo(url, join(dir, 'n2', 'deploy_kernel'), `sha256:${sha}`);
    assert.equal(hits, 1, 'downloaded once');
    const a = statSync(join(dir, 'n1', 'deploy_kernel'));
    assert.equal(a.ino, statSync(join(dir, 'n2', 'deploy_kernel')).ino, 'hard links to the master copy');
    assert.equal(a.nlink, 3);
    await assert.rejects(cache.linkTo(`${url}2`, join(dir, 'n3', 'k'), createHash('md5').update('other').digest('hex')), /Checksum mismatch/);
    assert.ok(!existsSync(cache.pathFor(`${url}2`)), 'a bad download is not cached');
    const f = join(dir, 'local-ramdisk');
    writeFileSync(f, 'ramdisk');
    await cache.linkTo(pathToFileURL(f).href, join(dir, 'n1', 'deploy_ramdisk'));
    assert.equal(readFileSync(join(dir, 'n1', 'deploy_ramdisk'), 'utf8'), 'ramdisk');
    await assert.rejects(cache.linkTo('ftp://x/y', join(dir, 'n1', 'z')), /Unsupported image source scheme/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveInside keeps requests in the root', () => {
  const root = mkdtempSync(join(tmpdir(), 'root-'));
  try {
    assert.equal(resolveInside(root, '../x'), null);
    assert.equal(resolveInside(root, 'a/../../x'), null);
    assert.equal(resolveInside(root, 'a\0b'), null);
    assert.equal(resolveInside(root, '/a/b'), join(root, 'a/b'));
    assert.equal(resolveInside(root, 'a\\..\\..\\x'), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
