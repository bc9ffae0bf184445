/** Imports one plugin entry module and checks what it exports (hardware type shape, required methods). */
import { isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INTERFACE_KINDS, REQUIRED_METHODS, type HardwareType, type InspectionHook, type InterfaceKind } from '@anvil/sdk';

export async function importDefault(dir: string, file: string): Promise<unknown> {
  const abs = isAbsolute(file) ? file : resolve(dir, file);
  if (!abs.startsWith(dir + sep)) throw new Error(`module path ${file} points outside the package`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`throws on load (${file}): ${(e as Error)?.message ?? String(e)}`);
  }
  if (mod.default === undefined) throw new Error(`${file} has no default export`);
  return mod.default;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function loadHardwareType(
  dir: string,
  file: string,
  expectedName: string,
  settings: Readonly<Record<string, unknown>>,
): Promise<HardwareType> {
  let exported = await importDefault(dir, file);
  if (typeof exported === 'function') {
    try {
      exported = await (exported as (s: unknown) => unknown)(settings);
    } catch (e) {
      throw new Error(`hardware type factory in ${file} throws: ${describe(e)}`);
    }
  }
  const ht = exported as HardwareType;
  if (typeof ht !== 'object' || ht === null) throw new Error(`${file} must default-export a HardwareType object or factory`);
  if (ht.name !== expectedName) {
    throw new Error(`hardware type in ${file} is named '${String(ht.name)}' but package.json declares '${expectedName}'`);
  }
  if (typeof ht.supported !== 'object' || ht.supported === null) throw new Error(`hardware type '${expectedName}' lacks "supported"`);
  for (const [kind, names] of Object.entries(ht.supported)) {
    if (!(INTERFACE_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`hardware type '${expectedName}' lists unknown interface kind '${kind}'`);
    }
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw new Error(`hardware type '${expectedName}': supported.${kind} must be an array of interface names`);
    }
  }
  return ht;
}

export async function loadInterface(
  dir: string,
  file: string,
  kind: InterfaceKind,
  name: string,
  settings: Readonly<Record<string, unknown>>,
): Promise<unknown> {
  let impl = await importDefault(dir, file);
  if (typeof impl === 'function') {
    try {
      impl = await (impl as (s: unknown) => unknown)(settings);
    } catch (e) {
      throw new Error(`${kind} interface '${name}' factory (${file}) throws: ${describe(e)}`);
    }
  }
  if (typeof impl !== 'object' || impl === null) {
    throw new Error(`${kind} interface '${name}' (${file}) must default-export a factory or an implementation object`);
  }
  const missing = REQUIRED_METHODS[kind].filter((m) => typeof (impl as Record<string, unknown>)[m] !== 'function');
  if (missing.length) {
    throw new Error(`${kind} interface '${name}' (${file}) lacks required method(s): ${missing.join(', ')}`);
  }
  return impl;
}

/** An inspection hook: the module's default export is the hook itself or a record of hooks by name. */
export async function loadInspectionHook(dir: string, file: string, name: string): Promise<InspectionHook> {
  const exported = (await importDefault(dir, file)) as Record<string, unknown>;
  const hook = (typeof exported === 'object' && exported !== null && typeof exported.name !== 'string' ? exported[name] : exported) as InspectionHook | undefined;
  if (!hook || typeof hook !== 'object') throw new Error(`inspection hook '${name}' (${file}) is not exported (default export: the hook or a record of hooks by name)`);
  if (hook.name !== name) throw new Error(`inspection hook in ${file} is named '${String(hook.name)}' but package.json declares '${name}'`);
  if (typeof hook.preprocess !== 'function' && typeof hook.process !== 'function') throw new Error(`inspection hook '${name}' (${file}) has neither preprocess nor process`);
  return hook;
}
