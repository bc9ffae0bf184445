/**
 * ComputerSystem.Reset: Ironic's power state → ResetType map and the choice among the values the BMC lists
 * (`ResetType@Redfish.AllowableValues` or its @Redfish.ActionInfo). Pure but for the ActionInfo read.
 */
import { PowerState, UnsupportedDriverExtension } from '@anvil/sdk';
import { type Json, type RedfishClient, action, actionInfoValues } from 'redfish-ts';

/** Redfish PowerState → Ironic power state (PoweringOn counts as on, PoweringOff as off, like Ironic). */
export function powerStateOf(system: Json): string | null {
  switch (system.PowerState) {
    case 'On':
    case 'PoweringOn':
      return PowerState.ON;
    case 'Off':
    case 'PoweringOff':
      return PowerState.OFF;
    default:
      return null;
  }
}

/** Preferred ResetType per target, then acceptable substitutes when the BMC does not list the first. */
export const RESET_CHOICES: Record<string, string[]> = {
  [PowerState.ON]: ['On', 'ForceOn'],
  [PowerState.OFF]: ['ForceOff'],
  [PowerState.SOFT_POWER_OFF]: ['GracefulShutdown'],
  [PowerState.REBOOT]: ['ForceRestart', 'PowerCycle'],
  [PowerState.SOFT_REBOOT]: ['GracefulRestart'],
  nmi: ['Nmi'],
};

/** The ResetType to send for `target`, from the values the BMC allows (all of RESET_CHOICES when it lists none). */
export function chooseResetType(target: string, allowed: string[]): string {
  const choices = RESET_CHOICES[target];
  if (!choices) throw new UnsupportedDriverExtension(`Power state ${target} has no Redfish reset type.`);
  if (allowed.length === 0) return choices[0];
  const pick = choices.find((c) => allowed.includes(c));
  if (!pick) {
    throw new UnsupportedDriverExtension(`The BMC does not allow a reset for ${target === 'nmi' ? 'NMI' : target}: it allows ${allowed.join(', ')} (wanted ${choices.join(' or ')}).`);
  }
  return pick;
}

/** Target and allowed ResetType values of the System's Reset action. */
export async function resetAction(client: RedfishClient, system: Json): Promise<{ target: string; allowed: string[] }> {
  const a = action(system, '#ComputerSystem.Reset');
  if (!a) throw new UnsupportedDriverExtension(`The System ${String(system['@odata.id'])} offers no #ComputerSystem.Reset action.`);
  let allowed = a.allowable.ResetType ?? [];
  if (allowed.length === 0 && a.actionInfo) allowed = actionInfoValues(await client.get(a.actionInfo), 'ResetType');
  return { target: a.target, allowed };
}
