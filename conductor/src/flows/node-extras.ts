/**
 * Node sub-resource actions through the driver (Ironic ConductorManager): VIFs (network interface), console
 * (set_console_mode / get_console_information), target RAID config, inject NMI, indicators, boot mode and
 * secure boot. Console and boot-mode changes run after the call returns (202), failures land in last_error.
 */
import { Conflict, InvalidParameterValue, type JsonObject, UnsupportedDriverExtension } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { UNSTABLE_STATES } from '../states/table.ts';
import { withTask, type TaskManager } from '../task/task.ts';
import { errText, validateKinds } from './common.ts';

type Vif = { id: string; port_uuid?: string; portgroup_uuid?: string } & JsonObject;


export const unstableMessage = (state: string) =>
  `Node is in ${state} state. Since node is transitioning, the boot mode will not be set as this may interfere with ongoing changes and result in erroneous modification. Try again later.`;

/** Ironic's UnsupportedDriverExtension for a management method the node's interface lacks. */
export const unsupported = (task: TaskManager, what: string) =>
  new UnsupportedDriverExtension(`Driver ${task.node.driver} does not support ${what} (disabled or not implemented).`);

export function vifList(ctx: ConductorContext, uuid: string): Promise<{ id: string }[]> {
  return withTask(ctx, uuid, { purpose: 'listing VIFs', shared: true }, (task) => task.driver.get('network').vifList(task));
}

export function vifAttach(ctx: ConductorContext, uuid: string, vif: Vif): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'attaching VIF' }, async (task) => {
    await validateKinds(task, ['network'], `Failed to validate network interface for node ${task.node.uuid}`);
    await task.driver.get('network').vifAttach(task, vif);
  });
}

export function vifDetach(ctx: ConductorContext, uuid: string, vifId: string): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'detaching VIF' }, async (task) => {
    await task.driver.get('network').vifDetach(task, vifId);
  });
}

export function getConsoleInformation(ctx: ConductorContext, uuid: string): Promise<{ console_enabled: boolean; console_info: JsonObject | null }> {
  return withTask(ctx, uuid, { purpose: 'getting console information', shared: true }, async (task) => {
    await validateKinds(task, ['console'], `Failed to validate console interface for node ${task.node.uuid}`);
    if (!task.node.console_enabled) return { console_enabled: false, console_info: null };
    return { console_enabled: true, console_info: (await task.driver.get('console').getConsole(task)) as JsonObject };
  });
}

export function setConsoleMode(ctx: ConductorContext, uuid: string, enabled: boolean): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'setting console mode' }, async (task) => {
    await validateKinds(task, ['console'], `Failed to validate console interface for node ${task.node.uuid}`);
    if (task.node.console_enabled === enabled) return; // already in the wanted mode: nothing to do (as Ironic)
    task.spawnAfter(async (t) => {
      const console = t.driver.get('console');
      try {
        if (enabled) await console.startConsole(t);
        else await console.stopConsole(t);
        await t.saveNode({ console_enabled: enabled, last_error: null });
      } catch (err) {
        const op = enabled ? 'enabling' : 'disabling';
        await t.saveNode({ last_error: `Error ${op} the console on node ${t.node.uuid}. Reason: ${errText(err)}` });
        await t.history(`Error ${op} the console: ${errText(err)}`, 'ERROR', 'console').catch(() => undefined);
      }
    });
  });
}

export function setTargetRaidConfig(ctx: ConductorContext, uuid: string, config: JsonObject): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'setting target RAID config' }, async (task) => {
    const raid = task.driver.get('raid');
    await raid.validate(task); // no-raid → UnsupportedDriverExtension (the API answers 404, as Ironic)
    if (Object.keys(config).length && raid.validateRaidConfig) await raid.validateRaidConfig(task, config);
    await task.saveNode({ target_raid_config: config });
  });
}

export function injectNmi(ctx: ConductorContext, uuid: string): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'inject nmi' }, async (task) => {
    await validateKinds(task, ['management'], `Failed to validate management interface for node ${task.node.uuid}`);
    const mgmt = task.driver.get('management');
    if (!mgmt.injectNmi) throw unsupported(task, 'inject_nmi');
    await mgmt.injectNmi(task);
  });
}

export type SupportedIndicators = Record<string, Record<string, { readonly: boolean; states: string[] }>>;

export function getSupportedIndicators(ctx: ConductorContext, uuid: string): Promise<SupportedIndicators> {
  return withTask(ctx, uuid, { purpose: 'getting supported indicators', shared: true }, async (task) => {
    const mgmt = task.driver.get('management');
    if (!mgmt.getSupportedIndicators) throw unsupported(task, 'get_supported_indicators');
    return mgmt.getSupportedIndicators(task);
  });
}

export function getIndicatorState(ctx: ConductorContext, uuid: string, component: string, indicator: string): Promise<string> {
  return withTask(ctx, uuid, { purpose: 'getting indicator state', shared: true }, async (task) => {
    const mgmt = task.driver.get('management');
    if (!mgmt.getIndicatorState) throw unsupported(task, 'get_indicator_state');
    return mgmt.getIndicatorState(task, component, indicator); // the driver checks component and indicator
  });
}

export function setIndicatorState(ctx: ConductorContext, uuid: string, component: string, indicator: string, state: string): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'setting indicator state' }, async (task) => {
    const mgmt = task.driver.get('management');
    if (!mgmt.setIndicatorState || !mgmt.getSupportedIndicators) throw unsupported(task, 'set_indicator_state');
    const ind = checkIndicator(await mgmt.getSupportedIndicators(task), component, indicator);
    if (ind.readonly) throw new InvalidParameterValue(`Indicator ${indicator} on component ${component} of node ${task.node.uuid} is read-only`);
    if (!ind.states.includes(state))
      throw new InvalidParameterValue(`Indicator ${indicator} on component ${component} does not support state ${state}; supported: ${ind.states.join(', ')}`);
    await mgmt.setIndicatorState(task, component, indicator, state);
  });
}

function checkIndicator(all: SupportedIndicators, component: string, indicator: string) {
  const ind = all[component]?.[indicator];
  if (!ind) throw new InvalidParameterValue(`Invalid indicator ${indicator}@${component}`);
  return ind;
}

/** Boot mode ('uefi' | 'bios') or secure boot (boolean) change; spawned, failures in last_error. */
export function setBootModeOrSecureBoot(ctx: ConductorContext, uuid: string, what: 'boot_mode' | 'secure_boot', target: string | boolean): Promise<void> {
  return withTask(ctx, uuid, { purpose: `setting ${what}` }, async (task) => {
    await validateKinds(task, ['management'], `Failed to validate management interface for node ${task.node.uuid}`);
    if (UNSTABLE_STATES.includes(task.node.provision_state)) throw new Conflict(unstableMessage(task.node.provision_state));
    const mgmt = task.driver.get('management');
    task.spawnAfter(async (t) => {
      // Ironic's node_change_boot_mode / node_change_secure_boot: no change when the BMC already reports the
      // target; a failing (or missing) driver call lands in last_error with Ironic's wording.
      try {
        const current = what === 'boot_mode' ? await mgmt.getBootMode?.(t) : await mgmt.getSecureBootState?.(t);
        if (current !== undefined && current !== null && current === target) return;
      } catch (err) {
        t.log.warn(`could not read the current ${what}`, { error: errText(err) });
      }
      try {
        if (what === 'boot_mode') {
          if (!mgmt.setBootMode) throw unsupported(t, 'set_boot_mode');
          await mgmt.setBootMode(t, target as 'uefi' | 'bios');
        } else {
          if (!mgmt.setSecureBootState) throw unsupported(t, 'set_secure_boot_state');
          await mgmt.setSecureBootState(t, target as boolean);
        }
        await t.saveNode({ [what]: target });
      } catch (err) {
        const last_error =
          what === 'boot_mode'
            ? `Failed to change boot mode to '${String(target)}: ${errText(err)}` // sic: Ironic's message lacks the closing quote
            : `Failed to change secure_boot state to '${target ? 'True' : 'False'}': ${errText(err)}`;
        await t.saveNode({ last_error });
      }
    });
  });
}
