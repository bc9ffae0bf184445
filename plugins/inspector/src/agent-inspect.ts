/**
 * Ironic's `agent` inspect interface (ironic/drivers/modules/inspector/agent.py). Managed boot (the boot interface
 * can network-boot the agent: validateInspection passes): power off, boot the ramdisk with
 * `ipa-inspection-callback-url=<api>/v1/continue_inspection`, power on → `inspect wait`. Unmanaged (the operator's
 * own PXE; [inspector]require_managed_boot=false and the boot interface cannot do it): power off, boot device PXE,
 * power on. The agent's POST /v1/continue_inspection resumes the node; the conductor runs the hooks and rules,
 * then `continueInspection` here tears the boot down and powers the node off ([inspector]power_off).
 */
import { type InspectInterface, type InterfaceFactory, type JsonObject, PowerState, type Task, UnsupportedDriverExtension } from '@anvil/sdk';
import { powerAction } from '@anvil/plugin-direct';
import { pxeSettings } from '@anvil/plugin-pxe';

const MANAGES_BOOT = 'inspector_manage_boot';
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()) : d);

/** The BMC addresses of driver_info (`*_address` keys) the lookup may match (Ironic cache_lookup_addresses). */
export function bmcAddresses(driverInfo: JsonObject): string[] {
  return Object.entries(driverInfo)
    .filter(([k, v]) => k.endsWith('_address') && typeof v === 'string' && v)
    .map(([, v]) => String(v).replace(/^\[|\]$/g, '').toLowerCase());
}

/** [inspector]extra_kernel_params "a=b c=d" → params. */
export function kernelParams(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of String(text ?? '').split(/\s+/).filter(Boolean)) {
    const i = word.indexOf('=');
    if (i > 0) out[word.slice(0, i)] = word.slice(i + 1);
    else out[word] = '';
  }
  return out;
}

export class AgentInspect implements InspectInterface {
  constructor(private readonly settings: Readonly<Record<string, unknown>>) {}

  getProperties() {
    return {};
  }

  private requireManagedBoot(task: Task): boolean {
    return bool({ ...this.settings, ...task.config }.inspector_require_managed_boot, true);
  }

  private async managesBoot(task: Task, raise: boolean): Promise<boolean> {
    const boot = task.driver.get('boot');
    try {
      if (!boot.validateInspection) throw new UnsupportedDriverExtension(`Driver ${task.node.driver} does not support validate_inspection (disabled or not implemented).`);
      await boot.validateInspection(task);
      return true;
    } catch (err) {
      if (raise || !(err instanceof Error && (err as { code?: string }).code === 'UnsupportedDriverExtension')) throw err;
      return false;
    }
  }

  async validate(task: Task): Promise<void> {
    kernelParams(task.config.inspector_extra_kernel_params);
    if (this.requireManagedBoot(task)) await this.managesBoot(task, true);
  }

  /** Where the agent posts its data: Ironic's /v1/continue_inspection. */
  protected callbackUrl(task: Task): string {
    const api = pxeSettings(task.config, task).apiUrl.replace(/\/+$/, '');
    return api.endsWith('/v1') ? `${api}/continue_inspection` : `${api}/v1/continue_inspection`;
  }

  async inspectHardware(task: Task): Promise<'done' | 'wait'> {
    const manage = await this.managesBoot(task, this.requireManagedBoot(task));
    await task.setInternalInfo({ [MANAGES_BOOT]: manage, lookup_bmc_addresses: bmcAddresses(task.node.driver_info) });
    try {
      if (manage) {
        const params = { ...kernelParams(task.config.inspector_extra_kernel_params), 'ipa-inspection-callback-url': this.callbackUrl(task) };
        await powerAction(task, PowerState.OFF);
        await task.driver.get('network').addInspectionNetwork?.(task);
        await task.driver.get('boot').prepareRamdisk(task, params);
        await powerAction(task, PowerState.ON);
      } else {
        await powerAction(task, PowerState.OFF);
        await task.driver.get('management').setBootDevice(task, 'pxe', false);
        await powerAction(task, PowerState.ON);
      }
    } catch (err) {
      if (manage) await this.tearDown(task, false).catch(() => undefined);
      throw new Error(`unable to start inspection: ${(err as Error).message}`);
    }
    return 'wait';
  }

  /** Ironic tear_down_managed_boot: clean the ramdisk boot (when managed) and power off ([inspector]power_off). */
  private async tearDown(task: Task, powerOff: boolean): Promise<string[]> {
    const errors: string[] = [];
    const managed = task.node.driver_internal_info[MANAGES_BOOT] === true;
    await task.setInternalInfo({ [MANAGES_BOOT]: null, lookup_bmc_addresses: null });
    if (managed) {
      await task.driver.get('boot').cleanUpRamdisk(task).catch((e: Error) => errors.push(`unable to clean up ramdisk boot: ${e.message}`));
      await task.driver.get('network').removeInspectionNetwork?.(task).catch((e: Error) => errors.push(`unable to remove inspection ports: ${e.message}`));
    }
    if ((managed || powerOff) && bool(task.config.inspector_power_off, true)) {
      await powerAction(task, PowerState.OFF).catch((e: Error) => errors.push(`unable to power off the node: ${e.message}`));
    }
    return errors;
  }

  async abort(task: Task): Promise<void> {
    await this.tearDown(task, false);
  }

  /** After the hooks and rules: tear the boot down and power off; errors fail the inspection. */
  async continueInspection(task: Task, _inventory: JsonObject, _pluginData: JsonObject): Promise<'done' | 'wait'> {
    const errors = await this.tearDown(task, true);
    if (errors.length) throw new Error(`Inspection clean up failed: ${errors.join(', ')}`);
    return 'done';
  }

  /** Failure clean-up (inspection_error_handler). */
  async cleanUpAfterFailure(task: Task): Promise<void> {
    await this.tearDown(task, false);
  }
}

const factory: InterfaceFactory<'inspect'> = (settings) => new AgentInspect(settings as unknown as Record<string, unknown>);
export default factory;
