/**
 * GET /validate (Ironic validate_driver_interfaces): under a shared lock, validate every interface kind except
 * vendor, in Ironic 39's order (the core interfaces, then the optional ones, firmware included at every version);
 * deploy also checks instance_info.traits against the node's traits, as Ironic; each answers {result: true} or
 * {result: false, reason}. A kind the driver lacks → result null.
 */
import { AnvilError, type InterfaceKind, type InterfaceValidation } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { withTask } from '../task/task.ts';
import { validateInstanceInfoTraits } from './common.ts';

// Ironic 39's BareDriver.non_vendor_interfaces: core_interfaces + optional_interfaces
const KINDS: InterfaceKind[] = ['boot', 'deploy', 'management', 'network', 'power', 'bios', 'console', 'firmware', 'inspect', 'raid', 'rescue', 'storage'];

export async function validateDriverInterfaces(ctx: ConductorContext, uuid: string): Promise<Record<string, InterfaceValidation>> {
  return withTask(ctx, uuid, { purpose: 'driver interface validation', shared: true }, async (task) => {
    const out: Record<string, InterfaceValidation> = {};
    for (const kind of KINDS) {
      let iface: { validate(t: unknown): Promise<void> } | undefined;
      try {
        iface = task.driver.get(kind);
      } catch {
        iface = undefined;
      }
      if (!iface) {
        out[kind] = { result: null, reason: 'not supported' };
        continue;
      }
      try {
        await iface.validate(task);
        if (kind === 'deploy') await validateInstanceInfoTraits(task);
        out[kind] = { result: true };
      } catch (err) {
        if (AnvilError.is(err) && err.status < 500) out[kind] = { result: false, reason: err.message };
        else out[kind] = { result: false, reason: err instanceof Error ? err.message : String(err) };
      }
    }
    return out;
  });
}
