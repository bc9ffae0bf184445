/**
 * Plugin packages' settings: every installed plugin package (and those in plugin_dirs) whose manifest names an
 * `anvil.options` module contributes the OptionSpec[] it default-exports. Found before any driver loads, so the
 * CLI can check the whole configuration against Anvil's and the plugins' declarations at once.
 */
import { CORE_OPTIONS, type OptionSpec } from '@anvil/sdk';
import { discoverPackages, installChain, nodeModulesChain } from './discover.ts';
import { importDefault } from './load.ts';
import { parseManifest } from './manifest.ts';
import { PluginLoadError } from './plugin-error.ts';

export interface DeclaredOption extends OptionSpec {
  /** 'anvil' or the plugin package that declares it */
  owner: string;
}

const TYPES = new Set(['str', 'int', 'float', 'bool', 'list']);

function checkSpec(o: unknown): string | null {
  const s = o as Partial<OptionSpec>;
  if (typeof s !== 'object' || s === null || typeof s.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(s.name)) return 'an option without a snake_case name';
  if (!TYPES.has(String(s.type))) return `option ${s.name} has unknown type '${String(s.type)}'`;
  if (typeof s.help !== 'string' || !s.help) return `option ${s.name} has no help`;
  return null;
}

/** Anvil's options and every plugin package's, by name; a broken or clashing declaration refuses start. */
export async function declaredOptions(pluginDirs: string[] = [], nodeModules = [...nodeModulesChain(process.cwd()), ...installChain()]): Promise<Map<string, DeclaredOption>> {
  const out = new Map<string, DeclaredOption>(CORE_OPTIONS.map((o) => [o.name, { ...o, owner: 'anvil' }]));
  const problems: string[] = [];
  const found = discoverPackages(nodeModules, pluginDirs);
  for (const pkg of found.packages) {
    const file = parseManifest(pkg.anvil).options;
    if (!file) continue;
    let specs: unknown;
    try {
      specs = await importDefault(pkg.dir, file);
    } catch (e) {
      problems.push(`plugin package ${pkg.name}: ${(e as Error).message}`);
      continue;
    }
    if (!Array.isArray(specs)) {
      problems.push(`plugin package ${pkg.name}: ${file} must default-export an array of options`);
      continue;
    }
    for (const spec of specs) {
      const bad = checkSpec(spec);
      const prior = bad ? undefined : out.get((spec as OptionSpec).name);
      if (bad) problems.push(`plugin package ${pkg.name}: ${bad}`);
      else if (prior) problems.push(`plugin package ${pkg.name}: option ${(spec as OptionSpec).name} is already declared by ${prior.owner}`);
      else out.set(spec.name, { ...(spec as OptionSpec), owner: pkg.name });
    }
  }
  if (problems.length) throw new PluginLoadError(problems);
  return out;
}
