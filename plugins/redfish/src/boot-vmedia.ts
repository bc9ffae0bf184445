/**
 * The `redfish-virtual-media` boot interface. prepareRamdisk (deploy, cleaning, rescue, inspection) ejects any CD,
 * builds the boot ISO (boot-iso.ts) from the cached deploy/rescue kernel and ramdisk with the agent's parameters,
 * serves it from http_root over HTTP (the built-in server of the pxe package), inserts it into a CD/DVD virtual
 * media device and sets the boot device to CD once. prepareInstance (local boot) ejects it and boots the disk,
 * persistent; the clean-ups eject and delete the ISO.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureHttp, ImageCache, type PxeSettings, pxeSettings } from '@anvil/plugin-pxe';
import { type BootInterface, type InterfaceFactory, InvalidParameterValue, MissingParameterValue, type Task } from '@anvil/sdk';
import { setBootDevice } from './boot-device.ts';
import { kernelCmdline, writeBootIso } from './boot-iso.ts';
import { type RedfishContext, redfishContext } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { redfishSettings } from './settings.ts';
import { ejectAll, insertIso } from './vmedia.ts';

const RESCUE_STATES = ['rescuing', 'rescue wait'];

function missing(task: Task, keys: string[]): void {
  const absent = keys.filter((k) => typeof task.node.driver_info[k] !== 'string' || !task.node.driver_info[k]);
  if (absent.length) throw new MissingParameterValue(`Some parameters were missing in node's driver_info. Missing are: [${absent.map((k) => `'${k}'`).join(', ')}]`);
}

export class RedfishVirtualMediaBoot implements BootInterface {
  private cache: ImageCache | null = null;

  constructor(protected readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return {
      ...COMMON_PROPERTIES,
      deploy_kernel: 'URL or Glance UUID of the deployment kernel. Required.',
      deploy_ramdisk: 'URL or Glance UUID of the ramdisk that is mounted at boot time. Required.',
      bootloader: 'URL or Glance UUID of the EFI system partition image containing EFI boot loader. This image will be used by ironic when building UEFI-bootable ISO out of kernel and ramdisk. Required for UEFI boot from partition images.',
      kernel_append_params: 'Additional kernel parameters to pass down to instance kernel. These parameters can be consumed by the kernel or by the applications by reading /proc/cmdline. Mind severe cmdline size limit. Overrides the [redfish]/kernel_append_params ironic option.',
      rescue_kernel: 'URL or Glance UUID of the rescue kernel. Required for rescue mode.',
      rescue_ramdisk: 'URL or Glance UUID of the rescue ramdisk with agent that is used at node rescue time. Required for rescue mode.',
    };
  }

  protected pxe(task: Task): PxeSettings {
    return pxeSettings(this.config, task);
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
    missing(task, ['deploy_kernel', 'deploy_ramdisk']);
  }

  async validateRescue(task: Task): Promise<void> {
    missing(task, ['rescue_kernel', 'rescue_ramdisk']);
  }

  async validateInspection(task: Task): Promise<void> {
    missing(task, ['deploy_kernel', 'deploy_ramdisk']);
  }

  isoName(task: Task): string {
    return `redfish/boot-${task.node.uuid}.iso`;
  }

  /** Build the node's boot ISO under http_root and return its URL. */
  protected async buildIso(task: Task, ramdiskParams: Record<string, string>): Promise<string> {
    const s = this.pxe(task);
    const label = RESCUE_STATES.includes(task.node.provision_state) ? 'rescue' : 'deploy';
    missing(task, [`${label}_kernel`, `${label}_ramdisk`]);
    if ((task.node.driver_internal_info?.deploy_boot_mode ?? task.node.boot_mode) === 'bios') {
      throw new InvalidParameterValue(`Node ${task.node.uuid} boots in legacy BIOS mode: Anvil builds UEFI virtual media ISOs only (set boot_mode to uefi).`);
    }
    await ensureHttp(s)?.catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      task.log.warn(`boot file server port in use, assuming another process serves it: ${err.message}`);
    });
    this.cache ??= new ImageCache(s.cacheDir);
    const di = task.node.driver_info;
    const sum = (k: string) => (typeof di[`${k}_checksum`] === 'string' ? (di[`${k}_checksum`] as string) : null);
    const kernel = readFileSync(await this.cache.fetch(String(di[`${label}_kernel`]), sum(`${label}_kernel`)));
    const ramdisk = readFileSync(await this.cache.fetch(String(di[`${label}_ramdisk`]), sum(`${label}_ramdisk`)));
    const esp = typeof di.bootloader === 'string' && di.bootloader ? readFileSync(await this.cache.fetch(di.bootloader)) : null;
    const rs = redfishSettings(this.config, task);
    const append = typeof di.kernel_append_params === 'string' ? di.kernel_append_params : rs.kernelAppendParams;
    const cmdline = kernelCmdline(append, { 'ipa-api-url': s.apiUrl, ...ramdiskParams, boot_method: 'vmedia' });
    const path = join(s.httpRoot, this.isoName(task));
    const size = await writeBootIso(path, { kernel, ramdisk, cmdline, esp });
    task.log.info(`Boot ISO for node ${task.node.uuid} written (${size} bytes): ${path}`);
    return `${s.httpUrl.replace(/\/+$/, '')}/${this.isoName(task)}`;
  }

  /** Attach the ISO and point the next boot at it (virtual media CD). */
  protected async attach(task: Task, ctx: RedfishContext, url: string): Promise<void> {
    await insertIso(task, ctx, url);
    await setBootDevice(task, ctx, 'cdrom', false);
  }

  async prepareRamdisk(task: Task, ramdiskParams: Record<string, string>): Promise<void> {
    const ctx = await redfishContext(task, this.config);
    await ejectAll(task, ctx);
    const url = await this.buildIso(task, ramdiskParams);
    await this.attach(task, ctx, url);
    await task.setInternalInfo({ redfish_boot_iso: url });
  }

  /**
   * The 1.89 API's image for virtual media: `http` keeps an http(s) URL for the BMC to fetch; `local` (Ironic's
   * default) downloads it into the image cache and serves a copy from http_root, as Ironic's prepare_remote_image.
   */
  async publishImage(task: Task, imageUrl: string, fileName: string, downloadSource: string): Promise<string> {
    if (downloadSource === 'http' && /^https?:\/\//.test(imageUrl)) return imageUrl;
    const s = this.pxe(task);
    await ensureHttp(s)?.catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
    });
    this.cache ??= new ImageCache(s.cacheDir);
    const rel = `redfish/${fileName}`;
    const dest = join(s.httpRoot, rel);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(await this.cache.fetch(imageUrl, null), dest);
    return `${s.httpUrl.replace(/\/+$/, '')}/${rel}`;
  }

  private removeIso(task: Task): void {
    rmSync(join(this.pxe(task).httpRoot, this.isoName(task)), { force: true });
  }

  async cleanUpRamdisk(task: Task): Promise<void> {
    await ejectAll(task, await redfishContext(task, this.config));
    this.removeIso(task);
    await task.setInternalInfo({ redfish_boot_iso: null });
  }

  async prepareInstance(task: Task): Promise<void> {
    const ctx = await redfishContext(task, this.config);
    await ejectAll(task, ctx);
    this.removeIso(task);
    await setBootDevice(task, ctx, 'disk', true);
  }

  async cleanUpInstance(task: Task): Promise<void> {
    await ejectAll(task, await redfishContext(task, this.config));
    this.removeIso(task);
  }
}

const factory: InterfaceFactory<'boot'> = (config) => new RedfishVirtualMediaBoot(config);
export default factory;
