/**
 * The hook pipeline (pure): the `[inspector]hooks` list resolved against the hooks installed ($default_hooks
 * expands, dependencies must come first), then every hook's preprocess, then every hook's process, over a working
 * copy of the data. Errors are Ironic's HardwareInspectionFailure texts.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_INSPECTION_HOOKS, HardwareInspectionFailure, type InspectionData, type InspectionHook, type InspectionOptions, type JsonObject } from '@anvil/sdk';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_KNOWN_ACCELERATORS, parsePciAliases } from './hooks/devices.ts';

/** "$default_hooks,cpus,memory" → the ordered hook names. */
export function hookNames(setting: unknown, defaults: readonly string[] = DEFAULT_INSPECTION_HOOKS): string[] {
  const list = Array.isArray(setting) ? setting.map(String) : String(setting ?? '$default_hooks').split(',');
  const out: string[] = [];
  for (const raw of list.map((s) => s.trim()).filter(Boolean)) {
    for (const name of raw === '$default_hooks' ? defaults : [raw]) if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Ironic's validate_inspection_hooks: unknown names and unmet dependencies are configuration errors. */
export function resolveHooks(names: string[], available: ReadonlyMap<string, InspectionHook>): InspectionHook[] {
  const missing = names.filter((n) => !available.has(n));
  if (missing.length) throw new Error(`The following hooks are not available: ${missing.join(', ')} (installed: ${[...available.keys()].sort().join(', ')})`);
  const hooks = names.map((n) => available.get(n) as InspectionHook);
  const seen = new Set<string>();
  for (const h of hooks) {
    const unmet = (h.dependencies ?? []).filter((d) => !seen.has(d));
    if (unmet.length) throw new Error(`Hooks ${unmet.join(', ')} must be enabled before the ${h.name} hook`);
    seen.add(h.name);
  }
  return hooks;
}

const copy = <T>(v: T): T => structuredClone(v);

/** Run preprocess then process of every hook over a copy of `input`; returns the changed copy. */
export function runInspectionHooks(input: InspectionData, hooks: InspectionHook[], options: InspectionOptions): InspectionData {
  const d = copy(input);
  const failures: string[] = [];
  for (const h of hooks) {
    try {
      h.preprocess?.(d, options);
    } catch (err) {
      failures.push(
        err instanceof HardwareInspectionFailure
          ? `Error in preprocess hook ${h.name}: ${err.message}`
          : `Unexpected exception ${(err as Error).name} during preprocess hook ${h.name}: ${(err as Error).message}`,
      );
    }
  }
  if (failures.length) throw new HardwareInspectionFailure(`failed to run inspection hooks: ${failures.join('\n')}`);
  for (const h of hooks) {
    try {
      h.process?.(d, options);
    } catch (err) {
      if (err instanceof HardwareInspectionFailure) throw err;
      throw new HardwareInspectionFailure(`Unexpected exception ${(err as Error).name} during processing for node: ${d.node.uuid}. Error: ${(err as Error).message}`);
    }
  }
  return d;
}

/** The [inspector] options from Anvil's settings (Ironic's names with the inspector_ prefix), with Ironic's defaults. */
export function inspectionOptions(s: Record<string, unknown>): InspectionOptions {
  const pick = <T extends string>(v: unknown, allowed: readonly T[], dflt: T): T => (allowed.includes(v as T) ? (v as T) : dflt);
  const pairs = (v: unknown): Record<string, string> => {
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    const out: Record<string, string> = {};
    for (const kv of String(v ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      const i = kv.lastIndexOf(':');
      if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return out;
  };
  return {
    add_ports: pick(s.inspector_add_ports, ['all', 'active', 'pxe', 'disabled'] as const, 'pxe'),
    keep_ports: pick(s.inspector_keep_ports, ['all', 'present', 'added'] as const, 'all'),
    update_pxe_enabled: s.inspector_update_pxe_enabled !== false,
    physical_network_cidr_map: pairs(s.inspector_physical_network_cidr_map),
    cpu_capabilities: pairs(s.inspector_cpu_capabilities),
    pci_device_alias: parsePciAliases(s.inspector_pci_device_alias),
    known_accelerators: knownAccelerators(s.inspector_known_accelerators),
  };
}

const accelCache = new Map<string, JsonObject[]>();
/** [inspector]known_accelerators: a YAML file with `pci_devices: [{vendor_id, device_id, ...}]` (read once). */
export function knownAccelerators(file: unknown): JsonObject[] {
  if (typeof file !== 'string' || !file) return DEFAULT_KNOWN_ACCELERATORS;
  const cached = accelCache.get(file);
  if (cached) return cached;
  const doc = parseYaml(readFileSync(file, 'utf8')) as { pci_devices?: unknown } | null;
  if (!doc || !Array.isArray(doc.pci_devices)) throw new Error('Could not find pci_devices in the configuration data.');
  for (const dev of doc.pci_devices) {
    if (!dev || typeof dev !== 'object' || !dev.vendor_id || !dev.device_id) throw new Error('One of the PCI devices in the configuration file is missing vendor_id or device_id.');
  }
  accelCache.set(file, doc.pci_devices);
  return doc.pci_devices;
}
