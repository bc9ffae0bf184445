/**
 * The simulated machine's view of a sushy-tools System (agent-sim BmcView): polls the System and turns what
 * changed into chassis actions, ipmi_sim style ("boot cd|pxe|default" taken at power on, "power 1", "power 0"),
 * reads the virtual CD's image for a CD boot, and powers off through ComputerSystem.Reset (the OS shutting down).
 */
import type { BmcView } from '@anvil/agent-sim';

const TARGET: Record<string, string> = { Cd: 'cd', Pxe: 'pxe', UefiHttp: 'cd' };

export class RedfishBmcView implements BmcView {
  private readonly log: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private power: string | null = null;
  private polling = false;

  constructor(
    readonly base: string,
    readonly systemId: string,
    readonly pollMs = 100,
  ) {}

  private async json(path: string): Promise<any> {
    return (await fetch(`${this.base}${path}`, { signal: AbortSignal.timeout(5000) })).json();
  }

  async start(): Promise<void> {
    this.power = (await this.json(`/redfish/v1/Systems/${this.systemId}`)).PowerState;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const s = await this.json(`/redfish/v1/Systems/${this.systemId}`);
      if (s.PowerState !== this.power) {
        if (s.PowerState === 'On') this.log.push(`boot ${TARGET[s.Boot?.BootSourceOverrideTarget] ?? 'default'}`, 'power 1');
        else if (s.PowerState === 'Off') this.log.push('power 0');
        this.power = s.PowerState;
      }
    } catch {
      // emulator busy or gone: next tick
    } finally {
      this.polling = false;
    }
  }

  actions(): string[] {
    return this.log;
  }

  async powerOff(): Promise<void> {
    await fetch(`${this.base}/redfish/v1/Systems/${this.systemId}/Actions/ComputerSystem.Reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ResetType: 'ForceOff' }),
    });
  }

  async media(): Promise<Buffer | null> {
    const cd = await this.json(`/redfish/v1/Systems/${this.systemId}/VirtualMedia/Cd`);
    if (!cd.Inserted || typeof cd.Image !== 'string' || !cd.Image) return null;
    const r = await fetch(cd.Image, { signal: AbortSignal.timeout(20_000) });
    return r.ok ? Buffer.from(await r.arrayBuffer()) : null;
  }
}
