/**
 * Finds installed plugin packages: every package.json with an "anvil" field under the given node_modules
 * directories (scoped packages included; workspace packages are symlinks there) and any extra plugin dirs
 * (a dir that is itself a package, or a dir of packages). The first package of a name wins, like Node's lookup.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DiscoveredPackage {
  name: string;
  version: string;
  /** Real directory of the package (symlinks resolved). */
  dir: string;
  anvil: unknown;
}

export interface DiscoveryResult {
  packages: DiscoveredPackage[];
  problems: { pkg: string; problem: string }[];
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** node_modules directories from `start` up to the filesystem root, nearest first. */
export function nodeModulesChain(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  for (;;) {
    const nm = join(dir, 'node_modules');
    if (isDir(nm)) out.push(nm);
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}

/** The node_modules chain of this Anvil install (where @anvil/registry itself lives). */
export function installChain(): string[] {
  return nodeModulesChain(dirname(fileURLToPath(import.meta.url)));
}

function packageDirsIn(nodeModules: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const p = join(nodeModules, name);
    if (name.startsWith('@')) {
      let scoped: string[] = [];
      try {
        scoped = readdirSync(p);
      } catch {
        continue;
      }
      for (const s of scoped.sort()) out.push(join(p, s));
    } else out.push(p);
  }
  return out;
}

function readPackage(dir: string, result: DiscoveryResult, seenDirs: Set<string>, seenNames: Set<string>): void {
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) return;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  if (seenDirs.has(real)) return;
  seenDirs.add(real);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(pj, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    // Only packages that look like Anvil plugins matter; a broken unrelated package.json is not ours to judge.
    const text = (() => {
      try {
        return readFileSync(pj, 'utf8');
      } catch {
        return '';
      }
    })();
    if (text.includes('"anvil"')) result.problems.push({ pkg: dir, problem: `package.json is not valid JSON: ${(e as Error).message}` });
    return;
  }
  if (json.anvil === undefined) return;
  const name = typeof json.name === 'string' ? json.name : dir;
  if (seenNames.has(name)) return; // a nearer copy of the same package already won
  seenNames.add(name);
  result.packages.push({ name, version: typeof json.version === 'string' ? json.version : '0.0.0', dir: real, anvil: json.anvil });
}

/**
 * Discover plugin packages: each node_modules dir in order, then the extra `pluginDirs` (settings.plugin_dirs).
 * Earlier wins on a duplicate package name; duplicate entry-point names are reported by the catalog.
 */
export function discoverPackages(nodeModulesDirs: string[], pluginDirs: string[] = []): DiscoveryResult {
  const result: DiscoveryResult = { packages: [], problems: [] };
  const seenDirs = new Set<string>();
  const seenNames = new Set<string>();
  for (const nm of nodeModulesDirs) for (const p of packageDirsIn(nm)) readPackage(p, result, seenDirs, seenNames);
  for (const d of pluginDirs) {
    const abs = resolve(d);
    if (!isDir(abs)) {
      result.problems.push({ pkg: abs, problem: 'plugin directory does not exist' });
      continue;
    }
    if (existsSync(join(abs, 'package.json'))) readPackage(abs, result, seenDirs, seenNames);
    else for (const p of packageDirsIn(abs)) readPackage(p, result, seenDirs, seenNames);
  }
  return result;
}
