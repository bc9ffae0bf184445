/**
 * Drivers (hardware types), like Ironic's /v1/drivers:
 *   GET /v1/drivers                         list (type, detail ≥1.30; fields ≥1.77)
 *   GET /v1/drivers/{name}                  detail: default_<kind>_interface + enabled_<kind>_interfaces
 *   GET /v1/drivers/{name}/properties       driver_info documentation of the default interfaces
 *   GET /v1/drivers/{name}/raid/logical_disk_properties (≥1.12)
 *   GET /v1/drivers/{name}/vendor_passthru/methods, ANY /v1/drivers/{name}/vendor_passthru?method=X (or /X)
 * Which drivers exist and on which hosts comes from the conductors (conductor_hardware_interfaces of alive
 * conductors, else their `drivers` list); implementations (properties, vendor) from the local registry.
 */
import { createLogger } from '@anvil/conductor';
import {
  AnvilError,
  INTERFACE_KINDS,
  type ConductorApi,
  type InterfaceKind,
  InvalidParameterValue,
  type JsonObject,
  NotAcceptable,
  NotFound,
  type VendorPassthruResult,
} from '@anvil/sdk';
import { type AnvilRegistry, driverMethodsView, invokeDriverVendor } from '@anvil/registry';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { linkPair } from '../links.ts';
import { Query } from '../query.ts';

const vendorLog = createLogger({ component: 'api' });

/** Per hardware type: hosts serving it and, per kind, the enabled names and the default. */
export interface ActiveType {
  hosts: Set<string>;
  ifaces: Map<InterfaceKind, { enabled: string[]; default: string | null }>;
}

/** Kinds hidden below a microversion (Ironic's hide_fields_in_newer_versions). */
const KIND_SINCE: Partial<Record<InterfaceKind, number>> = { storage: 33, rescue: 38, bios: 40, firmware: 86 };

export const driverNotFound = (name: string) =>
  new NotFound(`Could not find the following driver(s) or hardware type(s): ${name}.`);

function registryOf(deps: RouteDeps): AnvilRegistry {
  return deps.registry as AnvilRegistry;
}

function localIfaces(reg: AnvilRegistry, name: string): ActiveType['ifaces'] {
  const m: ActiveType['ifaces'] = new Map();
  for (const kind of INTERFACE_KINDS) {
    m.set(kind, { enabled: reg.supportedEnabledInterfaces(name, kind), default: reg.defaultInterface(name, kind) });
  }
  return m;
}

/** Ironic's get_active_hardware_type_dict, plus interface details. */
export async function activeHardwareTypes(deps: RouteDeps): Promise<Map<string, ActiveType>> {
  const reg = registryOf(deps);
  const out = new Map<string, ActiveType>();
  const repo = deps.db?.conductors;
  const timeout = Number(deps.settings.heartbeat_timeout) || 60;
  if (!repo) {
    for (const name of reg.hardwareTypeNames()) {
      out.set(name, { hosts: new Set([String(deps.settings.hostname)]), ifaces: localIfaces(reg, name) });
    }
    return out;
  }
  const rows: { hardware_type: string; interface_type: string; interface_name: string; default: boolean; hostname: string }[] =
    await repo.listHardwareInterfaces(timeout);
  for (const r of rows) {
    let t = out.get(r.hardware_type);
    if (!t) out.set(r.hardware_type, (t = { hosts: new Set(), ifaces: new Map() }));
    t.hosts.add(r.hostname);
    const kind = r.interface_type as InterfaceKind;
    const cur = t.ifaces.get(kind) ?? { enabled: [], default: null };
    if (!cur.enabled.includes(r.interface_name)) cur.enabled.push(r.interface_name);
    if (r.default) cur.default = r.interface_name;
    t.ifaces.set(kind, cur);
  }
  // Conductors that announce drivers without interface rows: trust the local registry for the details.
  const alive: { hostname: string; drivers: string[] }[] = await repo.listAlive(timeout);
  for (const c of alive) {
    for (const name of c.drivers ?? []) {
      let t = out.get(name);
      if (!t) {
        if (!reg.hardwareTypeNames().includes(name)) continue;
        out.set(name, (t = { hosts: new Set(), ifaces: localIfaces(reg, name) }));
      }
      t.hosts.add(c.hostname);
    }
  }
  return out;
}

/** One driver as Ironic renders it at the request's microversion. */
export function driverView(
  base: string,
  minor: number,
  name: string,
  t: ActiveType,
  detail: boolean,
): Record<string, unknown> {
  const d: Record<string, unknown> = { name, hosts: [...t.hosts].sort(), links: linkPair(base, 'drivers', name) };
  if (minor >= 14) d.properties = linkPair(base, 'drivers', `${name}/properties`);
  if (minor >= 30) {
    d.type = 'dynamic';
    if (detail) {
      for (const kind of INTERFACE_KINDS) {
        const since = KIND_SINCE[kind];
        if (since !== undefined && minor < since) continue;
        const i = t.ifaces.get(kind);
        d[`default_${kind}_interface`] = i?.default ?? null;
        d[`enabled_${kind}_interfaces`] = i ? [...i.enabled] : [];
      }
    }
  }
  return d;
}

/** Keep only the requested fields (links always); unknown → 400 like Ironic. */
export function selectFields(d: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const bad = fields.filter((f) => !(f in d));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = d[f];
  out.links = d.links;
  return out;
}

function fieldsParam(ctx: ApiContext, q: Query): string[] | undefined {
  const fields = q.fields();
  if (fields !== undefined && ctx.state.minor < 77) throw new NotAcceptable('Request not acceptable.');
  return fields;
}

async function findType(deps: RouteDeps, name: string): Promise<ActiveType> {
  const t = (await activeHardwareTypes(deps)).get(name);
  if (!t) throw driverNotFound(name);
  return t;
}

/** A driver served by some conductor and loadable here (for properties / RAID / vendor). */
async function localType(deps: RouteDeps, name: string): Promise<void> {
  await findType(deps, name);
  if (!registryOf(deps).hardwareTypeNames().includes(name)) throw driverNotFound(name);
}

function sendVendorResult(ctx: ApiContext, res: VendorPassthruResult): void {
  if (res.async) {
    // 202 with an empty body (a null body would turn Koa's status into 204)
    ctx.status = 202;
    ctx.body = '';
    return;
  }
  ctx.status = 200;
  if (res.attach) {
    ctx.type = 'application/octet-stream';
    ctx.body = Buffer.from(typeof res.return === 'string' ? res.return : JSON.stringify(res.return ?? null));
    return;
  }
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(res.return ?? null);
}

/** The request body of a passthru call: a JSON object, or {} when empty. */
export function passthruBody(ctx: ApiContext): JsonObject {
  const b = ctx.state.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidParameterValue('Vendor passthru data must be a JSON object.');
  return b as JsonObject;
}

/** The method name: a path segment (/vendor_passthru/NAME, what python-ironicclient sends) or ?method=NAME. */
export function passthruMethod(ctx: ApiContext): string {
  const q = new Query(ctx.query as Record<string, string | string[]>, ['method']);
  const method = (ctx.params as Record<string, string | undefined>).method ?? q.str('method');
  if (!method) throw new InvalidParameterValue('Method not specified');
  return method;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/drivers', async (ctx) => {
    const q = new Query(ctx.query as Record<string, string | string[]>, ['type', 'detail', 'fields']);
    const minor = ctx.state.minor;
    const type = q.str('type');
    const detail = q.bool('detail');
    if ((type !== undefined || detail !== undefined) && minor < 30)
      throw new NotAcceptable('Request not acceptable. The minimal required API version should be 1.30');
    const fields = fieldsParam(ctx, q);
    if (type !== undefined && type !== 'classic' && type !== 'dynamic') {
      throw new AnvilError('"type" filter must be one of "classic" or "dynamic", if specified.', 'Invalid', 400);
    }
    const base = baseUrl(ctx, deps.settings);
    const drivers: Record<string, unknown>[] = [];
    if (type !== 'classic') {
      const active = await activeHardwareTypes(deps);
      for (const name of [...active.keys()].sort()) {
        const d = driverView(base, minor, name, active.get(name)!, detail === true || fields !== undefined);
        drivers.push(fields ? selectFields(d, fields) : d);
      }
    }
    ctx.body = { drivers };
  });

  router.get('/v1/drivers/:name', async (ctx) => {
    const q = new Query(ctx.query as Record<string, string | string[]>, ['fields']);
    const fields = fieldsParam(ctx, q);
    const name = ctx.params.name;
    const d = driverView(baseUrl(ctx, deps.settings), ctx.state.minor, name, await findType(deps, name), true);
    ctx.body = fields ? selectFields(d, fields) : d;
  });

  router.get('/v1/drivers/:name/properties', async (ctx) => {
    new Query(ctx.query as Record<string, string | string[]>, []);
    await localType(deps, ctx.params.name);
    ctx.body = registryOf(deps).driverProperties(ctx.params.name);
  });

  router.get('/v1/drivers/:name/raid/logical_disk_properties', async (ctx) => {
    if (ctx.state.minor < 12) throw new NotAcceptable('Request not acceptable.');
    new Query(ctx.query as Record<string, string | string[]>, []);
    await localType(deps, ctx.params.name);
    try {
      ctx.body = registryOf(deps).defaultImplementation(ctx.params.name, 'raid').getLogicalDiskProperties();
    } catch (e) {
      // RAID is optional; Ironic answers 404 when the driver has none.
      if (AnvilError.is(e) && e.code === 'UnsupportedDriverExtension') throw new AnvilError(e.message, e.code, 404);
      throw e;
    }
  });

  router.get('/v1/drivers/:name/vendor_passthru/methods', async (ctx) => {
    new Query(ctx.query as Record<string, string | string[]>, []);
    await localType(deps, ctx.params.name);
    ctx.body = driverMethodsView(registryOf(deps).defaultImplementation(ctx.params.name, 'vendor'));
  });

  const driverPassthru = async (ctx: ApiContext & { params: Record<string, string> }) => {
    const method = passthruMethod(ctx);
    const name = ctx.params.name;
    await localType(deps, name);
    const body = passthruBody(ctx);
    const conductor = deps.conductor as Partial<ConductorApi> | undefined;
    let res: VendorPassthruResult;
    if (conductor?.driverVendorPassthru) res = await conductor.driverVendorPassthru(name, method, ctx.method, body);
    else {
      const vendor = registryOf(deps).defaultImplementation(name, 'vendor');
      res = await invokeDriverVendor(vendor, method, ctx.method, body, (work) => {
        work().catch((e) => vendorLog.error(`driver vendor passthru ${name}.${method} failed: ${(e as Error).message}`));
      });
    }
    sendVendorResult(ctx, res);
  };
  router.all('/v1/drivers/:name/vendor_passthru', driverPassthru);
  router.all('/v1/drivers/:name/vendor_passthru/:method', driverPassthru);
}

export { sendVendorResult };
