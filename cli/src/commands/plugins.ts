/**
 * `anvil plugins` — what the driver registry finds and loads with these settings: every plugin package (where,
 * which hardware types and interfaces it declares), then each enabled hardware type with its default and
 * enabled interfaces. Exit 1 (with the one-line reason) when the plugins would stop `anvil server`.
 */
import { INTERFACE_KINDS } from '@anvil/sdk';
import { createRegistry, discoverPackages, installChain, listSetting, nodeModulesChain, parseManifest } from '@anvil/registry';
import { loadSettings, SETTINGS_HELP } from '../config.ts';

const USAGE = `usage: anvil plugins [options]

Lists installed Anvil plugin packages and the hardware types the settings enable (see plugins/README.md).

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { settings, help } = await loadSettings(argv);
  if (help) {
    console.log(USAGE);
    return 0;
  }
  // the same search as the registry: node_modules from the cwd upwards, then this install's, then plugin_dirs
  const found = discoverPackages([...nodeModulesChain(process.cwd()), ...installChain()], listSetting(settings.plugin_dirs) ?? []);
  console.log('plugin packages:');
  for (const p of found.packages) {
    const m = parseManifest(p.anvil);
    const types = m.hardwareTypes.map((h) => h.name);
    const ifaces = m.interfaces.map((i) => `${i.kind}:${i.name}`);
    console.log(`  ${p.name}@${p.version}  ${p.dir}`);
    if (types.length) console.log(`    hardware types: ${types.join(', ')}`);
    if (ifaces.length) console.log(`    interfaces: ${ifaces.join(', ')}`);
  }
  const warnings: string[] = [];
  const registry = await createRegistry(settings, { warn: (m) => warnings.push(m) });
  console.log('enabled hardware types:');
  for (const name of registry.hardwareTypeNames()) {
    console.log(`  ${name} (${registry.packageOf(name)})`);
    for (const kind of INTERFACE_KINDS) {
      const enabled = registry.supportedEnabledInterfaces(name, kind);
      console.log(`    ${kind.padEnd(10)} default ${registry.defaultInterface(name, kind)}; enabled ${enabled.join(', ')}`);
    }
  }
  for (const w of warnings) console.log(`warning: ${w}`);
  return 0;
}
