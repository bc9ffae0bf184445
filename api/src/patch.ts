/**
 * JSON-PATCH (RFC 6902) as Ironic accepts it (pure): only add / replace / remove; path must match
 * ^(/[\w-]+)+$ (no "~" escapes, no empty segments); ops applied one at a time on a copy so a failure names the op;
 * `add` of a new root attribute is refused.
 */
import { InvalidInput, InvalidParameterValue, PatchError, pyRepr, type Json, type JsonObject } from '@anvil/sdk';

/** Python's repr, as Ironic's messages show values: the SDK's one (re-exported for the API's modules). */
export { pyRepr };

export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: Json;
}

export const PATH_RE = /^(\/[\w-]+)+$/;
export const OPS = ['add', 'replace', 'remove'];

/** Check the body shape; returns the typed ops. */
export function parsePatch(body: unknown): PatchOp[] {
  if (body === undefined) throw new InvalidParameterValue('Missing argument: "patch"');
  if (!Array.isArray(body)) throw new InvalidParameterValue(`Schema error for patch: ${pyRepr(body)} is not of type 'array'`);
  return body.map((p) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p))
      throw new InvalidParameterValue(`Schema error for patch: ${pyRepr(p)} is not of type 'object'`);
    const o = p as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => !['op', 'path', 'value'].includes(k));
    if (extra.length) throw new InvalidParameterValue(`Schema error for patch: Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
    if (typeof o.path !== 'string') throw new InvalidParameterValue(`Schema error for patch: 'path' is a required property`);
    if (typeof o.op !== 'string') throw new InvalidParameterValue(`Schema error for patch: 'op' is a required property`);
    if (!OPS.includes(o.op)) throw new InvalidParameterValue(`Schema error for patch: '${o.op}' is not one of ${pyRepr(OPS)}`);
    if (!PATH_RE.test(o.path)) throw new InvalidParameterValue(`Schema error for patch: '${o.path}' does not match '^(/[\\\\w-]+)+$'`);
    if (o.op !== 'remove' && !('value' in o))
      throw new InvalidParameterValue(`Couldn't apply patch '${pyRepr(o as Json)}'. Reason: The operation does not contain a 'value' member`);
    return o.op === 'remove' ? { op: 'remove', path: o.path } : { op: o.op as PatchOp['op'], path: o.path, value: o.value as Json };
  });
}

/** Root attribute names the ops touch, e.g. "/driver_info/x" → "driver_info". */
export const rootOf = (path: string) => path.split('/')[1];

/** Values set (add/replace) at exactly this path. */
export const valuesAt = (ops: PatchOp[], path: string) => ops.filter((o) => o.path === path && o.op !== 'remove').map((o) => o.value);

export function checkAllowedRoots(ops: PatchOp[], allowed: readonly string[]): void {
  for (const o of ops) {
    if (!allowed.includes(rootOf(o.path)))
      throw new InvalidInput(`Cannot patch ${o.path}. Only the following can be updated: ${allowed.join(', ')}`);
  }
}


const opText = (o: PatchOp) =>
  o.op === 'remove' ? `{'op': 'remove', 'path': '${o.path}'}` : `{'op': '${o.op}', 'path': '${o.path}', 'value': ${pyRepr(o.value)}}`;

function fail(o: PatchOp, reason: string): never {
  throw new PatchError(`Couldn't apply patch '${opText(o)}'. Reason: ${reason}`);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Apply ops to a JSON document (not modified); returns the patched copy. */
export function applyPatch(doc: JsonObject, ops: PatchOp[]): JsonObject {
  for (const o of ops) {
    if (o.op === 'add' && o.path.split('/').length === 2 && !(rootOf(o.path) in doc))
      throw new InvalidInput(`Adding a new attribute (${o.path}) to the root of the resource is not allowed`);
  }
  const out = clone(doc);
  for (const o of ops) {
    const segs = o.path.split('/').slice(1);
    let parent: Json = out;
    for (const s of segs.slice(0, -1)) {
      if (Array.isArray(parent)) {
        const i = Number(s);
        if (!/^\d+$/.test(s) || i >= parent.length) fail(o, `can't replace a non-existent object '${s}'`);
        parent = parent[i];
      } else if (parent !== null && typeof parent === 'object') {
        if (!(s in parent)) fail(o, `member '${s}' not found in ${pyRepr(parent)}`);
        parent = (parent as JsonObject)[s];
      } else fail(o, `member '${s}' not found in ${JSON.stringify(parent)}`);
    }
    const key = segs[segs.length - 1];
    if (Array.isArray(parent)) {
      const idx = key === '-' ? parent.length : Number(key);
      if (key !== '-' && !/^\d+$/.test(key)) fail(o, `'${key}' is not a valid sequence index`);
      if (o.op === 'add') {
        if (idx > parent.length) fail(o, `can't insert outside of list`);
        parent.splice(idx, 0, clone(o.value) as Json);
      } else {
        if (idx >= parent.length) fail(o, `can't ${o.op} outside of list`);
        if (o.op === 'remove') parent.splice(idx, 1);
        else parent[idx] = clone(o.value) as Json;
      }
    } else if (parent !== null && typeof parent === 'object') {
      const obj = parent as JsonObject;
      if (o.op !== 'add' && !(key in obj)) fail(o, `can't ${o.op} a non-existent object '${key}'`);
      if (o.op === 'remove') delete obj[key];
      else obj[key] = clone(o.value) as Json;
    } else fail(o, `can't ${o.op} a member of a non-object`);
  }
  return out;
}
