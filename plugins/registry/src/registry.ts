/**
 * createRegistry(settings): discover plugin packages, load and check every enabled hardware type and interface
 * once (so nothing fails later mid-deploy), then answer resolution questions for the API and conductors.
 */
import {
  DEFAULT_SETTINGS,
  IMPLICIT_SUPPORTED,
  NOT_ENABLED_BY_DEFAULT,
  INTERFACE_KINDS,
  InvalidParameterValue,
  NotFound,
  type DriverRegistry,
  type HardwareType,
  type InspectionHook,
  type InterfaceByKind,
  type InterfaceField,
  type InterfaceKind,
  type ResolvedDriver,
  type Settings,
} from '@anvil/sdk';
import { buildCatalog, ifaceKey } from './catalog.ts';
import { type DiscoveredPackage, discoverPackages, installChain, nodeModulesChain } from './discover.ts';
import { loadHardwareType, loadInspectionHook, loadInterface } from './load.ts';
import { PluginLoadError } from './plugin-error.ts';
import { defaultFor, resolveAll, type ResolutionTables, supportedEnabled, type TypeSupport } from './resolve.ts';

export interface RegistryOptions {
  /** node_modules dirs to scan instead of the defaults (cwd chain + this install's chain). */
  nodeModules?: string[];
  /** Where warnings go (skipped plugins, missing default types); default console.warn. */
  warn?: (message: string) => void;
  /** Where the one startup line naming the loaded hardware types and their packages goes; default: nowhere. */
  info?: (message: string) => void;
}

/** The registry with the extras the drivers API needs. */
export interface AnvilRegistry extends DriverRegistry {
  readonly packages: readonly DiscoveredPackage[];
  readonly warnings: readonly string[];
  /** Names of a kind that a hardware type supports and that are enabled (GET /v1/drivers/{name} enabled_*). */
  supportedEnabledInterfaces(hardwareType: string, kind: InterfaceKind): string[];
  /** driver_info documentation merged from the type's default interfaces (GET /v1/drivers/{name}/properties). */
  driverProperties(hardwareType: string): Record<string, string>;
  /** Name of the package that provides a hardware type. */
  packageOf(hardwareType: string): string | undefined;
  /**
   * Rows for the conductor_hardware_interfaces table (db.conductors.registerHardwareInterfaces): every enabled
   * hardware type × kind × supported-and-enabled name, with its default flagged. GET /v1/drivers reads them.
   */
  hardwareInterfaceRows(): { hardware_type: string; interface_type: InterfaceKind; interface_name: string; default: boolean }[];
  /** The default implementation of a kind for a hardware type (driver-level calls: properties, RAID, vendor). */
  defaultImplementation<K extends InterfaceKind>(hardwareType: string, kind: K): InterfaceByKind[K];
}

type Impl = InterfaceByKind[InterfaceKind];

/** A list setting given as an array or a comma-separated string; undefined when not set. */
export function listSetting(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function createRegistry(settings: Settings, options: RegistryOptions = {}): Promise<AnvilRegistry> {
  const warnFn = options.warn ?? ((m: string) => console.warn(`anvil: warning: ${m}`));
  const policy = settings.plugin_load_errors === 'warn' ? 'warn' : 'fail';
  const problems: string[] = [];
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    warnFn(m);
  };
  /** A broken plugin: refuse to start, or skip with a warning. */
  const bad = (pkg: string, problem: string) => {
    const msg = `plugin package ${pkg}: ${problem}`;
    if (policy === 'fail') problems.push(msg);
    else warn(`${msg} (skipped)`);
  };

  const pluginDirs = listSetting(settings.plugin_dirs) ?? [];
  const nodeModules = options.nodeModules ?? [...nodeModulesChain(process.cwd()), ...installChain()];
  const found = discoverPackages(nodeModules, pluginDirs);
  for (const p of found.problems) bad(p.pkg, p.problem);
  const catalog = buildCatalog(found.packages);
  for (const p of catalog.problems) bad(p.pkg, p.problem);

  // Hardware types: the enabled ones only (lazy: nothing else is imported).
  const configuredTypes = listSetting(settings.enabled_hardware_types) ?? [];
  const typesAreDefault = sameList(configuredTypes, DEFAULT_SETTINGS.enabled_hardware_types);
  /** Settings that cannot be met: fatal when the operator chose them, a warning for built-in defaults. */
  const unmet = (msg: string, operatorChosen = !typesAreDefault) => {
    if (operatorChosen && policy === 'fail') problems.push(msg);
    else warn(msg);
  };
  const hwObjects = new Map<string, HardwareType>();
  for (const name of configuredTypes) {
    const entry = catalog.hardwareTypes.get(name);
    if (!entry) {
      unmet(`enabled_hardware_types names '${name}', but no installed plugin package provides it`);
      continue;
    }
    try {
      hwObjects.set(name, await loadHardwareType(entry.pkg.dir, entry.file, name, settings));
    } catch (e) {
      bad(entry.pkg.name, (e as Error).message);
    }
  }
  const supportOf = (ht: HardwareType): TypeSupport => {
    const supported = {} as Record<InterfaceKind, string[]>;
    for (const kind of INTERFACE_KINDS) supported[kind] = [...(ht.supported[kind] ?? IMPLICIT_SUPPORTED[kind] ?? [])];
    return { name: ht.name, supported, acceptAnyEnabled: ht.acceptAnyEnabled === true };
  };

  // Enabled interfaces: configured lists, else every installed name an enabled type supports (but NOT_ENABLED_BY_DEFAULT).
  const enabled = {} as Record<InterfaceKind, string[]>;
  const defaults = {} as Record<InterfaceKind, string | null>;
  const impls = new Map<string, Impl>();
  for (const kind of INTERFACE_KINDS) {
    const configured = listSetting(settings[`enabled_${kind}_interfaces`]);
    let names: string[];
    if (configured) {
      names = [];
      for (const n of configured) {
        if (catalog.interfaces.has(ifaceKey(kind, n))) names.push(n);
        else unmet(`enabled_${kind}_interfaces names '${n}', but no installed plugin package provides a ${kind} interface '${n}'`, true);
      }
    } else {
      const set = new Set<string>();
      for (const ht of hwObjects.values()) {
        for (const n of supportOf(ht).supported[kind]) if (catalog.interfaces.has(ifaceKey(kind, n)) && !NOT_ENABLED_BY_DEFAULT[kind]?.includes(n)) set.add(n);
      }
      names = [...set];
    }
    enabled[kind] = [];
    for (const n of names) {
      const entry = catalog.interfaces.get(ifaceKey(kind, n))!;
      try {
        impls.set(ifaceKey(kind, n), (await loadInterface(entry.pkg.dir, entry.file, kind, n, settings)) as Impl);
        enabled[kind].push(n);
      } catch (e) {
        bad(entry.pkg.name, (e as Error).message);
      }
    }
    const def = settings[`default_${kind}_interface`];
    defaults[kind] = typeof def === 'string' && def !== '' ? def : null;
    if (defaults[kind] && !enabled[kind].includes(defaults[kind]!)) {
      unmet(`default_${kind}_interface '${defaults[kind]}' is not an enabled ${kind} interface (enabled: ${enabled[kind].join(', ') || 'none'})`, true);
    }
  }

  // Each enabled type must resolve a default for every kind (Ironic refuses to load it otherwise).
  const tables: ResolutionTables = { types: new Map(), enabled, defaults };
  for (const ht of hwObjects.values()) {
    const sup = supportOf(ht);
    const missing = INTERFACE_KINDS.filter((k) => supportedEnabled(tables, sup, k).length === 0);
    if (missing.length) {
      const detail = missing.map((k) => `${k} (supports ${sup.supported[k].join(', ') || 'nothing'})`).join('; ');
      unmet(`hardware type '${ht.name}' has no enabled interface for: ${detail}; it is not available`);
      continue;
    }
    tables.types.set(ht.name, sup);
    // Callers see every kind's list, the implicit no-op defaults included.
    hwObjects.set(ht.name, { ...ht, supported: { ...sup.supported } });
  }
  // Inspection hooks: every installed one is loaded and checked now ([inspector]hooks picks among them per run).
  const hooks = new Map<string, InspectionHook>();
  for (const [name, entry] of catalog.inspectionHooks) {
    try {
      hooks.set(name, await loadInspectionHook(entry.pkg.dir, entry.file, name));
    } catch (e) {
      bad(entry.pkg.name, (e as Error).message);
    }
  }
  if (problems.length) throw new PluginLoadError(problems);
  options.info?.(
    `loaded hardware types: ${[...tables.types.keys()]
      .map((n) => {
        const p = catalog.hardwareTypes.get(n)!.pkg;
        return `${n} (${p.name} ${p.version} at ${p.dir})`;
      })
      .join(', ')}`,
  );

  const impl = <K extends InterfaceKind>(kind: K, name: string): InterfaceByKind[K] => {
    const found = impls.get(ifaceKey(kind, name));
    if (!found) {
      throw new InvalidParameterValue(
        `Could not find the following interface in the 'ironic.hardware.interfaces.${kind}' entrypoint: ${name}. ` +
          `Valid interfaces are [${enabled[kind].map((n) => `'${n}'`).join(', ')}].`,
      );
    }
    return found as InterfaceByKind[K];
  };
  const knownType = (name: string): TypeSupport => {
    const t = tables.types.get(name);
    if (!t) throw new NotFound(`Could not find the following driver(s) or hardware type(s): ${name}.`);
    return t;
  };
  const resolveInterfaces = (driver: string, explicit: Partial<Record<InterfaceField, string | null>>) =>
    resolveAll(tables, driver, explicit);

  const registry: AnvilRegistry = {
    packages: found.packages,
    warnings,
    hardwareTypeNames: () => [...tables.types.keys()],
    hardwareType: (name) => (tables.types.has(name) ? hwObjects.get(name) : undefined),
    enabledInterfaces: (kind) => [...enabled[kind]],
    defaultInterface: (hardwareType, kind) => {
      const t = tables.types.get(hardwareType);
      return t ? defaultFor(tables, t, kind) : null;
    },
    resolveInterfaces,
    async load(node) {
      const explicit: Partial<Record<InterfaceField, string | null>> = {};
      for (const kind of INTERFACE_KINDS) explicit[`${kind}_interface`] = node[`${kind}_interface`];
      const names = resolveInterfaces(node.driver, explicit);
      return makeResolved(node.driver, names, impl);
    },
    async getInterface(kind, name) {
      return impl(kind, name);
    },
    supportedEnabledInterfaces: (hardwareType, kind) => supportedEnabled(tables, knownType(hardwareType), kind),
    driverProperties(hardwareType) {
      const t = knownType(hardwareType);
      const props: Record<string, string> = {};
      for (const kind of INTERFACE_KINDS) {
        const def = defaultFor(tables, t, kind);
        if (def) Object.assign(props, impl(kind, def).getProperties());
      }
      return props;
    },
    hardwareInterfaceRows() {
      const rows: ReturnType<AnvilRegistry['hardwareInterfaceRows']> = [];
      for (const t of tables.types.values()) {
        for (const kind of INTERFACE_KINDS) {
          const def = defaultFor(tables, t, kind);
          for (const n of supportedEnabled(tables, t, kind)) {
            rows.push({ hardware_type: t.name, interface_type: kind, interface_name: n, default: n === def });
          }
        }
      }
      return rows;
    },
    defaultImplementation(hardwareType, kind) {
      const def = defaultFor(tables, knownType(hardwareType), kind);
      if (!def) throw new InvalidParameterValue(`No default value found for ${kind} interface for driver ${hardwareType}.`);
      return impl(kind, def);
    },
    inspectionHooks: () => hooks,
    packageOf: (hardwareType) => (tables.types.has(hardwareType) ? catalog.hardwareTypes.get(hardwareType)?.pkg.name : undefined),
  };
  return registry;
}

function makeResolved(
  hardwareType: string,
  fields: Record<InterfaceField, string>,
  impl: <K extends InterfaceKind>(kind: K, name: string) => InterfaceByKind[K],
): ResolvedDriver {
  const names = {} as Record<InterfaceKind, string>;
  for (const kind of INTERFACE_KINDS) names[kind] = fields[`${kind}_interface`];
  for (const kind of INTERFACE_KINDS) impl(kind, names[kind]); // fail now, not mid-task
  return { hardwareType, names, get: (kind) => impl(kind, names[kind]) };
}
