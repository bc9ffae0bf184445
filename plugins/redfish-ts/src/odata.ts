/** Pure OData/Redfish helpers: addresses, links, collections, actions and their allowable values. No I/O. */
import { RedfishMissingError } from './errors.ts';

export type Json = Record<string, unknown>;

/**
 * `redfish_address` → base URL: the scheme is optional (https assumed, as Ironic does), an IPv6 literal keeps its
 * brackets, a path or query is refused.
 */
export function parseAddress(address: string): string {
  const raw = address.trim();
  if (!raw) throw new TypeError('empty Redfish address');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new TypeError(`invalid Redfish address "${address}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`invalid Redfish address "${address}": scheme must be http or https`);
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash) throw new TypeError(`invalid Redfish address "${address}": no path or query expected`);
  if (u.username || u.password) throw new TypeError(`invalid Redfish address: put credentials in redfish_username/redfish_password`);
  return `${u.protocol}//${u.host}`;
}

/** Absolute URL of an @odata.id (or any path) on a base URL. */
export function urlOf(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`;
}

export function odataId(v: unknown): string | null {
  const id = (v as { '@odata.id'?: unknown } | null)?.['@odata.id'];
  return typeof id === 'string' ? id.replace(/\/+$/, '') : null;
}

/** Link to a sub-resource: `res[name]['@odata.id']`, or null. */
export function link(res: Json, ...names: string[]): string | null {
  let cur: unknown = res;
  for (const n of names) cur = (cur as Json | null)?.[n];
  return odataId(cur);
}

/** Member ids of a collection (Members[].@odata.id). */
export function memberIds(collection: Json): string[] {
  const members = collection.Members;
  return Array.isArray(members) ? members.map(odataId).filter((x): x is string => !!x) : [];
}

/** Expanded members when the BMC honoured $expand (members carry more than their @odata.id), else null. */
export function expandedMembers(collection: Json): Json[] | null {
  const members = collection.Members;
  if (!Array.isArray(members) || members.length === 0) return Array.isArray(members) ? [] : null;
  return members.every((m) => m && typeof m === 'object' && Object.keys(m).some((k) => k !== '@odata.id')) ? (members as Json[]) : null;
}

export interface ActionInfo {
  target: string;
  /** `<Param>@Redfish.AllowableValues` lists by parameter name */
  allowable: Record<string, string[]>;
  /** @Redfish.ActionInfo link, when the BMC lists parameters there instead */
  actionInfo: string | null;
}

/** An action of a resource (e.g. '#ComputerSystem.Reset'); null when the BMC does not offer it. */
export function action(res: Json, name: string): ActionInfo | null {
  const a = (res.Actions as Json | undefined)?.[name] as Json | undefined;
  if (!a || typeof a.target !== 'string') return null;
  const allowable: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(a)) {
    const m = /^(.+)@Redfish\.AllowableValues$/.exec(k);
    if (m && Array.isArray(v)) allowable[m[1]] = v.filter((x): x is string => typeof x === 'string');
  }
  const ai = a['@Redfish.ActionInfo'];
  return { target: a.target, allowable, actionInfo: typeof ai === 'string' ? ai : null };
}

export function requireAction(res: Json, name: string): ActionInfo {
  const a = action(res, name);
  if (!a) throw new RedfishMissingError(`The BMC does not offer the ${name} action on ${odataId(res) ?? 'the resource'}.`);
  return a;
}

/** Allowable values from an ActionInfo resource's Parameters[]. */
export function actionInfoValues(info: Json, param: string): string[] {
  const params = Array.isArray(info.Parameters) ? (info.Parameters as Json[]) : [];
  const p = params.find((x) => x?.Name === param);
  return Array.isArray(p?.AllowableValues) ? (p.AllowableValues as unknown[]).filter((x): x is string => typeof x === 'string') : [];
}

/** The ETag of a resource: the response header, else the body's @odata.etag. */
export function etagOf(headers: Record<string, string | string[] | undefined>, body: Json | null): string | null {
  const h = headers.etag;
  if (typeof h === 'string' && h) return h;
  const b = body?.['@odata.etag'];
  return typeof b === 'string' && b ? b : null;
}
