/**
 * Reads the "anvil" field of a package.json into entry points (pure: no I/O).
 * Shape: { hardware_types: { name: "./file" }, interfaces: { <kind>: { name: "./file" } }, options: "./file",
 *          inspection_hooks: { name: "./file" } } (options: a module default-exporting the package's settings, OptionSpec[]).
 */
import { INTERFACE_KINDS, type InterfaceKind } from '@anvil/sdk';

export interface HardwareTypeEntry {
  name: string;
  file: string;
}
export interface InterfaceEntry {
  kind: InterfaceKind;
  name: string;
  file: string;
}
export interface ParsedManifest {
  hardwareTypes: HardwareTypeEntry[];
  interfaces: InterfaceEntry[];
  /** module declaring the package's settings */
  options?: string;
  /** inspection hooks by name (module default export: the hook, or a record of hooks by name) */
  inspectionHooks: HardwareTypeEntry[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KNOWN_KEYS = new Set(['hardware_types', 'interfaces', 'options', 'inspection_hooks']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function entries(where: string, v: unknown, problems: string[]): [string, string][] {
  if (!isObject(v)) {
    problems.push(`${where} must be an object of name → module path`);
    return [];
  }
  const out: [string, string][] = [];
  for (const [name, file] of Object.entries(v)) {
    if (!NAME_RE.test(name)) problems.push(`${where} has an invalid name '${name}'`);
    else if (typeof file !== 'string' || file.length === 0) problems.push(`${where}.${name} must be a module path string`);
    else out.push([name, file]);
  }
  return out;
}

/** Parse a manifest; returns the entries and a list of problems (each a sentence without the package name). */
export function parseManifest(field: unknown): ParsedManifest & { problems: string[] } {
  const problems: string[] = [];
  const result: ParsedManifest = { hardwareTypes: [], interfaces: [], inspectionHooks: [] };
  if (!isObject(field)) return { ...result, problems: ['the "anvil" field must be an object'] };
  for (const key of Object.keys(field)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`unknown key "anvil.${key}" (expected hardware_types, interfaces, options, inspection_hooks)`);
  }
  if (field.hardware_types !== undefined) {
    for (const [name, file] of entries('anvil.hardware_types', field.hardware_types, problems)) {
      result.hardwareTypes.push({ name, file });
    }
  }
  if (field.interfaces !== undefined) {
    if (!isObject(field.interfaces)) problems.push('anvil.interfaces must be an object of kind → {name → module path}');
    else {
      for (const [kind, byName] of Object.entries(field.interfaces)) {
        if (!(INTERFACE_KINDS as readonly string[]).includes(kind)) {
          problems.push(`declares unknown interface kind '${kind}' (known kinds: ${INTERFACE_KINDS.join(', ')})`);
          continue;
        }
        for (const [name, file] of entries(`anvil.interfaces.${kind}`, byName, problems)) {
          result.interfaces.push({ kind: kind as InterfaceKind, name, file });
        }
      }
    }
  }
  if (field.options !== undefined) {
    if (typeof field.options !== 'string' || field.options === '') problems.push('anvil.options must be a module path string');
    else result.options = field.options;
  }
  if (field.inspection_hooks !== undefined) {
    for (const [name, file] of entries('anvil.inspection_hooks', field.inspection_hooks, problems)) result.inspectionHooks.push({ name, file });
  }
  return { ...result, problems };
}
