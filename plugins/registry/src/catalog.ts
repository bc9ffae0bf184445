/** Everything the installed plugin packages declare, by name (pure), with duplicate and manifest problems. */
import type { InterfaceKind } from '@anvil/sdk';
import type { DiscoveredPackage } from './discover.ts';
import { parseManifest } from './manifest.ts';

export interface CatalogEntry {
  pkg: DiscoveredPackage;
  file: string;
}

export interface Catalog {
  hardwareTypes: Map<string, CatalogEntry>;
  /** key `${kind}:${name}` */
  interfaces: Map<string, CatalogEntry>;
  inspectionHooks: Map<string, CatalogEntry>;
  problems: { pkg: string; problem: string }[];
}

export const ifaceKey = (kind: InterfaceKind, name: string) => `${kind}:${name}`;

export function buildCatalog(packages: DiscoveredPackage[]): Catalog {
  const cat: Catalog = { hardwareTypes: new Map(), interfaces: new Map(), inspectionHooks: new Map(), problems: [] };
  for (const pkg of packages) {
    const parsed = parseManifest(pkg.anvil);
    for (const problem of parsed.problems) cat.problems.push({ pkg: pkg.name, problem });
    if (parsed.problems.length) continue; // a package with a bad manifest contributes nothing
    for (const ht of parsed.hardwareTypes) {
      const other = cat.hardwareTypes.get(ht.name);
      if (other) {
        cat.problems.push({
          pkg: pkg.name,
          problem: `declares hardware type '${ht.name}', which package ${other.pkg.name} already declares (duplicate name)`,
        });
      } else cat.hardwareTypes.set(ht.name, { pkg, file: ht.file });
    }
    for (const it of parsed.interfaces) {
      const key = ifaceKey(it.kind, it.name);
      const other = cat.interfaces.get(key);
      if (other) {
        cat.problems.push({
          pkg: pkg.name,
          problem: `declares ${it.kind} interface '${it.name}', which package ${other.pkg.name} already declares (duplicate name)`,
        });
      } else cat.interfaces.set(key, { pkg, file: it.file });
    }
    for (const h of parsed.inspectionHooks) {
      const other = cat.inspectionHooks.get(h.name);
      if (other) {
        cat.problems.push({ pkg: pkg.name, problem: `declares inspection hook '${h.name}', which package ${other.pkg.name} already declares (duplicate name)` });
      } else cat.inspectionHooks.set(h.name, { pkg, file: h.file });
    }
  }
  return cat;
}
