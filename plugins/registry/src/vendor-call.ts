/**
 * Vendor passthru dispatch like Ironic's conductor (pure apart from calling the plugin):
 * find the method ("No handler for method X"), check the HTTP method, let the interface validate the
 * arguments, then run it synchronously or hand it to `spawn` (async methods answer 202 at once).
 */
import {
  InvalidParameterValue,
  type JsonObject,
  type Task,
  type VendorInterface,
  type VendorMethod,
  type VendorPassthruResult,
} from '@anvil/sdk';

export type VendorCallResult = VendorPassthruResult;

/** Look a method up in a routes table; throws Ironic's 400s. */
export function vendorMethodFor(routes: Record<string, VendorMethod>, method: string, httpMethod: string): VendorMethod {
  if (!method) throw new InvalidParameterValue('Method not specified');
  const meta = Object.hasOwn(routes, method) ? routes[method] : undefined;
  if (!meta) throw new InvalidParameterValue(`No handler for method ${method}`);
  const verb = httpMethod.toUpperCase();
  if (!meta.http_methods.map((m) => m.toUpperCase()).includes(verb)) {
    throw new InvalidParameterValue(
      `The method ${method} does not support HTTP ${verb}. Supported methods are: ${meta.http_methods.join(', ')}`,
    );
  }
  return meta;
}

/** Node vendor passthru: run under a task the caller opened (exclusive unless the method says otherwise). */
export async function invokeNodeVendor(
  task: Task,
  method: string,
  httpMethod: string,
  body: JsonObject,
  spawn: (work: () => Promise<unknown>) => void,
): Promise<VendorCallResult> {
  const vendor = task.driver.get('vendor');
  const meta = vendorMethodFor(vendor.methods(), method, httpMethod);
  await vendor.validateMethod?.(task, method, httpMethod.toUpperCase(), body);
  if (meta.async) {
    spawn(() => vendor.callMethod(task, method, httpMethod.toUpperCase(), body));
    return { return: null, async: true, attach: meta.attach };
  }
  return { return: await vendor.callMethod(task, method, httpMethod.toUpperCase(), body), async: false, attach: meta.attach };
}

/** Driver vendor passthru (no node): the hardware type's default vendor interface. */
export async function invokeDriverVendor(
  vendor: VendorInterface,
  method: string,
  httpMethod: string,
  body: JsonObject,
  spawn: (work: () => Promise<unknown>) => void,
): Promise<VendorCallResult> {
  const routes = vendor.driverMethods?.() ?? {};
  const meta = vendorMethodFor(routes, method, httpMethod);
  if (!vendor.callDriverMethod) throw new InvalidParameterValue(`No handler for method ${method}`);
  await vendor.validateDriverMethod?.(method, httpMethod.toUpperCase(), body);
  const call = vendor.callDriverMethod.bind(vendor);
  if (meta.async) {
    spawn(() => call(method, httpMethod.toUpperCase(), body));
    return { return: null, async: true, attach: meta.attach };
  }
  return { return: await call(method, httpMethod.toUpperCase(), body), async: false, attach: meta.attach };
}

/** Driver-level method metadata as Ironic shows it (no require_exclusive_lock: there is no node to lock). */
export function driverMethodsView(vendor: VendorInterface): Record<string, Omit<VendorMethod, 'require_exclusive_lock'>> {
  const out: Record<string, Omit<VendorMethod, 'require_exclusive_lock'>> = {};
  for (const [name, m] of Object.entries(vendor.driverMethods?.() ?? {})) {
    out[name] = { http_methods: m.http_methods, async: m.async, description: m.description, attach: m.attach };
  }
  return out;
}
