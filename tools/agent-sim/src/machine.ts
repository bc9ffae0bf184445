/**
 * A simulated machine behind a BMC: it follows the BMC's chassis actions (power 1 / power 0 / boot <dev>), and on
 * every power-on boots from the current boot device: "pxe" → network boot (firmware.ts) then the agent from the
 * booted ramdisk's ipa-api-url; "cd" → the BMC's virtual CD (iso-read.ts: GRUB config, kernel, initrd) then the
 * agent; anything else → the disk (the instance). Power off stops whatever ran.
 */
import { SimAgent, type AgentOptions } from './agent.ts';
import type { FileDisk } from './disk.ts';
import { parseBootConfig } from './boot-config.ts';
import { type BootedRamdisk, netboot, type NetbootTarget } from './firmware.ts';
import { isElTorito, isoFile } from './iso-read.ts';
import { hasMbr } from './mbr.ts';

export interface BmcView {
  /** chassis actions the BMC performed, oldest first, ipmi_sim style: "power 1", "power 0", "boot pxe", "boot default" */
  actions(): string[];
  /** power the machine off through its BMC (what the OS shutting down looks like) */
  powerOff(): Promise<void>;
  /** the image in the BMC's virtual CD (Redfish virtual media / HTTP boot), for "boot cd"; null when empty */
  media?(): Promise<Buffer | null>;
}

export interface SimMachineOptions extends NetbootTarget {
  name: string;
  mac: string;
  bmc: BmcView;
  disk: FileDisk;
  pollMs?: number;
  agent?: Partial<Omit<AgentOptions, 'apiUrl' | 'macs' | 'disk' | 'powerOff'>>;
  /** replaces the ipa-api-url the ramdisk booted with (a ramdisk whose API address is wrong or unreachable) */
  ipaApiUrl?: string;
  log?: (msg: string) => void;
}

export type MachineEvent =
  | { kind: 'netboot'; config: string; kernel: number; initrd: number; apiUrl: string | null }
  | { kind: 'netboot-failed' }
  | { kind: 'cd-boot'; kernel: number; initrd: number; apiUrl: string | null; elTorito: boolean }
  | { kind: 'cd-boot-failed'; reason: string }
  | { kind: 'disk-boot'; bootable: boolean }
  | { kind: 'power-off' };

export class SimMachine {
  readonly events: MachineEvent[] = [];
  agent: SimAgent | null = null;
  /** every agent this machine ran, oldest first (one per ramdisk boot) */
  readonly agents: SimAgent[] = [];
  lastRamdisk: BootedRamdisk | null = null;
  private seen = 0;
  private bootDevice = 'none';
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(readonly opts: SimMachineOptions) {}

  start(): void {
    this.seen = this.opts.bmc.actions().length;
    this.timer = setInterval(() => this.poll(), this.opts.pollMs ?? 100);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    await this.agent?.stop();
    this.agent = null;
  }

  private log(m: string) {
    this.opts.log?.(`${this.opts.name}: ${m}`);
  }

  private poll(): void {
    const actions = this.opts.bmc.actions();
    if (actions.length <= this.seen) return;
    const fresh = actions.slice(this.seen);
    this.seen = actions.length;
    // serialise: a boot must finish (or be cut by the next power off) in order
    this.busy = this.busy.then(async () => {
      for (const a of fresh) await this.apply(a);
    });
  }

  private async apply(action: string): Promise<void> {
    if (this.stopped) return;
    const [what, value] = action.split(/\s+/);
    if (what === 'boot') this.bootDevice = value;
    else if (what === 'power' && value === '0') await this.powerLost();
    else if (what === 'power' && value === '1') await this.powerOn();
  }

  private async powerLost(): Promise<void> {
    this.events.push({ kind: 'power-off' });
    const a = this.agent;
    this.agent = null;
    await a?.stop();
  }

  private async powerOn(): Promise<void> {
    await this.powerLost();
    this.events.pop(); // a power-on after on is a reset, not an "off" event
    if (this.bootDevice === 'cd') {
      const booted = await this.cdBoot();
      if (booted) await this.runAgent(booted);
      return;
    }
    if (this.bootDevice === 'pxe') {
      // like a PXE ROM, retry a few times before giving up (a busy server may drop a transfer)
      let booted: BootedRamdisk | null = null;
      for (let attempt = 0; attempt < 3 && !booted && !this.stopped; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 500));
        booted = await netboot(this.opts.mac, this.opts);
      }
      if (!booted) {
        this.log('network boot failed: no config for this MAC');
        this.events.push({ kind: 'netboot-failed' });
        return;
      }
      this.events.push({ kind: 'netboot', config: booted.configName, kernel: booted.kernelBytes.length, initrd: booted.initrdBytes.length, apiUrl: booted.apiUrl });
      await this.runAgent(booted);
      return;
    }
    const bootable = hasMbr(this.opts.disk.read(0, 512));
    this.events.push({ kind: 'disk-boot', bootable });
    this.log(`booted from disk (${bootable ? 'bootable' : 'no boot record'})`);
  }

  /** UEFI booting the virtual CD: the El Torito image's GRUB config names the kernel, initrd and command line. */
  private async cdBoot(): Promise<BootedRamdisk | null> {
    const fail = (reason: string) => {
      this.log(`CD boot failed: ${reason}`);
      this.events.push({ kind: 'cd-boot-failed', reason });
      return null;
    };
    const iso = this.opts.bmc.media ? await this.opts.bmc.media().catch(() => null) : null;
    if (!iso) return fail('no media in the virtual CD');
    const cfg = isoFile(iso, 'EFI/BOOT/grub.cfg') ?? isoFile(iso, 'boot/grub/grub.cfg');
    const entry = cfg ? parseBootConfig(cfg.toString()) : null;
    if (!entry) return fail('no GRUB config on the CD');
    const kernel = isoFile(iso, entry.kernel);
    const initrd = isoFile(iso, entry.initrd);
    if (!kernel || !initrd) return fail(`${entry.kernel} or ${entry.initrd} missing on the CD`);
    this.events.push({ kind: 'cd-boot', kernel: kernel.length, initrd: initrd.length, apiUrl: entry.apiUrl, elTorito: isElTorito(iso) });
    return { ...entry, kernelBytes: Buffer.from(kernel), initrdBytes: Buffer.from(initrd), configName: 'cd:grub.cfg' };
  }

  private async runAgent(booted: BootedRamdisk): Promise<void> {
    this.lastRamdisk = booted;
    if (!booted.apiUrl) return;
    const agent = new SimAgent({
      ...this.opts.agent,
      apiUrl: this.opts.ipaApiUrl ?? booted.apiUrl,
      inspectionCallbackUrl: booted.inspectionUrl,
      macs: [this.opts.mac],
      disk: this.opts.disk,
      powerOff: () => this.opts.bmc.powerOff(),
      log: this.opts.log,
    });
    this.agent = agent;
    this.agents.push(agent);
    await agent.start();
    this.log(`agent up at ${agent.url}`);
  }
}
