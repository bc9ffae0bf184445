/**
 * Vendor passthru (Ironic vendor_passthru / driver_vendor_passthru). Node methods: shared lock, look the method
 * up (400 "No handler for method X", wrong HTTP method → 400), upgrade to exclusive when the method requires it,
 * validate, then run it (sync: the return value; async: spawned, answered at once). Dispatch lives in
 * @anvil/registry (invokeNodeVendor / invokeDriverVendor) so every conductor behaves the same.
 */
import type { JsonObject, VendorPassthruResult } from '@anvil/sdk';
import { type AnvilRegistry, invokeDriverVendor, invokeNodeVendor, vendorMethodFor } from '@anvil/registry';
import type { ConductorContext } from '../context.ts';
import { withTask } from '../task/task.ts';

export async function vendorPassthru(
  ctx: ConductorContext,
  uuid: string,
  method: string,
  httpMethod: string,
  body: JsonObject,
): Promise<VendorPassthruResult> {
  return withTask(ctx, uuid, { purpose: 'calling vendor passthru', shared: true }, async (task) => {
    const meta = vendorMethodFor(task.driver.get('vendor').methods(), method, httpMethod);
    if (meta.require_exclusive_lock) await task.upgradeLock();
    const logged = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (err) {
        ctx.log.error(`vendor passthru ${method} failed for node ${uuid}`, { error: String(err) });
      }
    };
    return invokeNodeVendor(task, method, httpMethod, body, (work) => {
      // exclusive: the worker inherits the node lock; shared: nothing to hold (a shared lock is not stored)
      if (meta.require_exclusive_lock) task.spawnAfter(() => logged(work));
      else setImmediate(() => void logged(work));
    });
  });
}

export async function driverVendorPassthru(
  ctx: ConductorContext,
  driver: string,
  method: string,
  httpMethod: string,
  body: JsonObject,
): Promise<VendorPassthruResult> {
  const vendor = (ctx.registry as AnvilRegistry).defaultImplementation(driver, 'vendor');
  return invokeDriverVendor(vendor, method, httpMethod, body, (work) => {
    work().catch((err) => ctx.log.error(`driver vendor passthru ${driver}.${method} failed`, { error: String(err) }));
  });
}
