/**
 * Ironic's `pxe` and `ipxe` boot interfaces. prepareRamdisk caches the deploy (or rescue) kernel and ramdisk in
 * master_images, hard-links them under <root>/<node uuid>/, writes the node's config (pxelinux for BIOS, GRUB for
 * UEFI, an iPXE script for ipxe) linked per MAC, hands the DHCP options to the DHCP provider and sets the boot
 * device to PXE (once). prepareInstance (local boot) removes the PXE config and sets disk, persistent.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BootInterface, MissingParameterValue, type Task, UnsupportedDriverExtension } from '@anvil/sdk';
import { dhcpOptions } from './dhcp-options.ts';
import { dhcpProvider } from './dhcp-provider.ts';
import { ImageCache } from './image-cache.ts';
import { ensureHttp, ensureTftp } from './servers.ts';
import { type PxeSettings, pxeSettings } from './settings.ts';
import { grubConfig, grubMacName, ipxeBootScript, ipxeConfig, ipxeMacName, type PxeParams, pxelinuxConfig, pxelinuxMacName } from './templates.ts';

const LABELS = ['deploy', 'rescue'] as const;

function missing(task: Task, keys: string[]): void {
  const absent = keys.filter((k) => typeof task.node.driver_info[k] !== 'string' || !task.node.driver_info[k]);
  if (absent.length) {
    throw new MissingParameterValue(`Some parameters were missing in node's driver_info. Missing are: [${absent.map((k) => `'${k}'`).join(', ')}]`);
  }
}

export function bootModeOf(task: Task, s: PxeSettings): 'uefi' | 'bios' {
  if (task.node.boot_mode === 'bios' || task.node.boot_mode === 'uefi') return task.node.boot_mode;
  const caps = task.node.properties.capabilities;
  const m = typeof caps === 'string' ? /(?:^|,)boot_mode:(bios|uefi)/.exec(caps) : null;
  return m ? (m[1] as 'bios' | 'uefi') : s.defaultBootMode;
}

export class PxeBoot implements BootInterface {
  private cache: ImageCache | null = null;

  constructor(
    readonly ipxe: boolean,
    readonly config: Readonly<Record<string, unknown>> = {},
  ) {
    // start the built-in servers with the process so firmware can reach them before the first deploy;
    // a failure (port taken by another Anvil process) is reported again by prepareRamdisk
    // (only when a port is configured explicitly: nobody wants port 69/8088 bound by merely loading the plugin)
    const s = pxeSettings(config);
    if (config.pxe_tftp_port !== undefined) ensureTftp(s)?.catch(() => undefined);
    if (ipxe && config.pxe_http_port !== undefined) ensureHttp(s)?.catch(() => undefined);
  }

  getProperties() {
    return {
      deploy_kernel: 'UUID (from Glance) or URL of the deployment kernel. Required.',
      deploy_ramdisk: 'UUID (from Glance) or URL of the ramdisk that is mounted at boot time. Required.',
      deploy_kernel_checksum: 'Checksum (md5/sha256/sha512, or "algo:value") of deploy_kernel. Optional.',
      deploy_ramdisk_checksum: 'Checksum (md5/sha256/sha512, or "algo:value") of deploy_ramdisk. Optional.',
      rescue_kernel: 'UUID (from Glance) or URL of the rescue kernel. This value is required for rescue mode.',
      rescue_ramdisk: 'UUID (from Glance) or URL of the rescue ramdisk with agent that is used at node rescue time. This value is required for rescue mode.',
      kernel_append_params: 'Additional kernel parameters to pass down to instance kernel. Optional.',
    };
  }

  private settings(task: Task): PxeSettings {
    return pxeSettings(this.config, task);
  }

  private root(s: PxeSettings): string {
    return this.ipxe ? s.httpRoot : s.tftpRoot;
  }

  async validate(task: Task): Promise<void> {
    missing(task, ['deploy_kernel', 'deploy_ramdisk']);
    if (!task.ports.length) throw new MissingParameterValue(`Node ${task.node.uuid} does not have any port associated with it.`);
  }

  async validateRescue(task: Task): Promise<void> {
    missing(task, ['rescue_kernel', 'rescue_ramdisk']);
  }

  /** In-band inspection boots the deploy ramdisk: without it the boot cannot be managed (Ironic validate_inspection). */
  async validateInspection(task: Task): Promise<void> {
    try {
      missing(task, ['deploy_kernel', 'deploy_ramdisk']);
    } catch (err) {
      throw new UnsupportedDriverExtension(`Driver ${task.node.driver} does not support inspection with managed boot: ${(err as Error).message}`);
    }
  }

  async prepareRamdisk(task: Task, ramdiskParams: Record<string, string>): Promise<void> {
    const s = this.settings(task);
    const rescue = ['rescuing', 'rescue wait'].includes(task.node.provision_state);
    const label = rescue ? 'rescue' : 'deploy';
    missing(task, [`${label}_kernel`, `${label}_ramdisk`]);
    const servers = [ensureTftp(s, (m) => task.log.warn(m)), this.ipxe ? ensureHttp(s) : null];
    for (const p of servers) {
      // port taken: another Anvil process on this host (e.g. the API process of a split deployment) serves it
      await p?.catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE') throw err;
        task.log.warn(`boot file server port in use, assuming another process serves it: ${err.message}`);
      });
    }
    const mode = bootModeOf(task, s);
    await task.setInternalInfo({ deploy_boot_mode: mode });
    const root = this.root(s);
    const dir = join(root, task.node.uuid);
    mkdirSync(dir, { recursive: true });
    this.cache ??= new ImageCache(s.cacheDir);
    const di = task.node.driver_info;
    for (const part of ['kernel', 'ramdisk']) {
      const url = di[`${label}_${part}`] as string;
      const sum = typeof di[`${label}_${part}_checksum`] === 'string' ? (di[`${label}_${part}_checksum`] as string) : null;
      await this.cache.linkTo(url, join(dir, `${label}_${part}`), sum);
    }
    const append = [s.appendParams, typeof di.kernel_append_params === 'string' ? di.kernel_append_params : ''].filter(Boolean).join(' ');
    const params: PxeParams = this.ipxe
      ? { label, kernel: `${s.httpUrl}/${task.node.uuid}/${label}_kernel`, ramdisk: `${s.httpUrl}/${task.node.uuid}/${label}_ramdisk`, apiUrl: s.apiUrl, appendParams: append, ramdiskParams }
      : { label, kernel: `${task.node.uuid}/${label}_kernel`, ramdisk: `${task.node.uuid}/${label}_ramdisk`, apiUrl: s.apiUrl, appendParams: append, ramdiskParams };
    const text = this.ipxe ? ipxeConfig(params) : mode === 'uefi' ? grubConfig(params) : pxelinuxConfig(params);
    writeFileSync(join(dir, 'config'), text);
    this.linkMacs(task, s, mode);
    if (this.ipxe) writeFileSync(join(s.httpRoot, 'boot.ipxe'), ipxeBootScript(s.httpUrl));
    const bootfile = this.ipxe ? s.ipxeBootfile[mode] : s.pxeBootfile[mode];
    const opts = dhcpOptions({
      ipxe: this.ipxe,
      bootfile,
      ipxeScriptUrl: `${s.httpUrl}/boot.ipxe`,
      tftpServer: s.tftpHost,
      tftpRootPrefix: `${s.tftpRoot.replace(/\/+$/, '')}/`,
    });
    await dhcpProvider(s, this.config).update(task, opts);
    await task.driver.get('management').setBootDevice(task, 'pxe', false);
  }

  /** MAC links: pxelinux.cfg/01-<mac> (BIOS), grub.cfg-01-<mac> (UEFI GRUB), pxelinux.cfg/<mac> (iPXE). */
  private macLinks(task: Task, s: PxeSettings): string[] {
    const root = this.root(s);
    const out: string[] = [];
    for (const p of task.ports) {
      if (this.ipxe) out.push(join(root, 'pxelinux.cfg', ipxeMacName(p.address)));
      else out.push(join(root, 'pxelinux.cfg', pxelinuxMacName(p.address)), join(root, grubMacName(p.address)));
    }
    return out;
  }

  private linkMacs(task: Task, s: PxeSettings, mode: 'uefi' | 'bios'): void {
    const root = this.root(s);
    mkdirSync(join(root, 'pxelinux.cfg'), { recursive: true });
    for (const p of task.ports) {
      if (!p.pxe_enabled) continue;
      const links = this.ipxe
        ? [[join(root, 'pxelinux.cfg', ipxeMacName(p.address)), join('..', task.node.uuid, 'config')]]
        : mode === 'bios'
          ? [[join(root, 'pxelinux.cfg', pxelinuxMacName(p.address)), join('..', task.node.uuid, 'config')]]
          : [[join(root, grubMacName(p.address)), join(task.node.uuid, 'config')]];
      for (const [link, target] of links) {
        rmSync(link, { force: true });
        symlinkSync(target, link);
      }
    }
  }

  private removePxeConfig(task: Task, s: PxeSettings): void {
    for (const link of this.macLinks(task, s)) rmSync(link, { force: true });
    rmSync(join(this.root(s), task.node.uuid, 'config'), { force: true });
  }

  async cleanUpRamdisk(task: Task): Promise<void> {
    const s = this.settings(task);
    this.removePxeConfig(task, s);
    const dir = join(this.root(s), task.node.uuid);
    for (const label of LABELS) {
      for (const part of ['kernel', 'ramdisk']) {
        const f = join(dir, `${label}_${part}`);
        if (existsSync(f)) unlinkSync(f);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    await dhcpProvider(s, this.config).clean(task);
  }

  async prepareInstance(task: Task): Promise<void> {
    const s = this.settings(task);
    this.removePxeConfig(task, s);
    await dhcpProvider(s, this.config).clean(task);
    await task.driver.get('management').setBootDevice(task, 'disk', true);
  }

  async cleanUpInstance(task: Task): Promise<void> {
    const s = this.settings(task);
    this.removePxeConfig(task, s);
    rmSync(join(this.root(s), task.node.uuid), { recursive: true, force: true });
    await dhcpProvider(s, this.config).clean(task);
  }
}
