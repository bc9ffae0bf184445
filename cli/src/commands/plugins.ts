/**
 * `anvil plugins` — what the driver registry finds and loads with these settings: every plugin package (where,
 * which hardware types and interfaces it declares), then each enabled hardware type with its default and
 * enabled interfaces. Exit 1 (with the one-line reason) when the plugins would stop `anvil server`.
 */
import { INTERFACE_KINDS } from '@anvil/sdk';
import { createRegistry, discoverPackages, installChain, listSetting, nodeModulesChain, parseManifest } from '@anvil/registry';
import { OUTPUT_USAGE, formatObject, splitOutputArgs } from '@anvil/sdk/output';
import { loadSettings, SETTINGS_HELP } from '../config.ts';

const USAGE = `usage: anvil plugins [options] [output options]

Lists installed Anvil plugin packages and the hardware types the settings enable (see plugins/README.md).
-f json|yaml|value, -c: the fields packages, hardware_types, warnings.
${OUTPUT_USAGE}

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { output, rest } = splitOutputArgs(argv, process.env);
  const { settings, help } = await loadSettings(rest);
  if (help) {
    console.log(USAGE);
    return 0;
  }
  // the same search as the registry: node_modules from the cwd upwards, then this install's, then plugin_dirs
  const found = discoverPackages([...nodeModulesChain(process.cwd()), ...installChain()], listSetting(settings.plugin_dirs) ?? []);
  const packages = found.packages.map((p) => {
    const m = parseManifest(p.anvil);
    return { name: p.name, version: p.version, dir: p.dir, hardware_types: m.hardwareTypes.map((h) => h.name), interfaces: m.interfaces.map((i) => `${i.kind}:${i.name}`) };
  });
  const warnings: string[] = [];
  const registry = await createRegistry(settings, { warn: (m) => warnings.push(m) });
  const hardwareTypes = registry.hardwareTypeNames().map((name) => ({
    name,
    package: registry.packageOf(name),
    interfaces: Object.fromEntries(INTERFACE_KINDS.map((kind) => [kind, { default: registry.defaultInterface(name, kind), enabled: registry.supportedEnabledInterfaces(name, kind) }])),
  }));
  const prose = () => {
    const lines = ['plugin packages:'];
    for (const p of packages) {
      lines.push(`  ${p.name}@${p.version}  ${p.dir}`);
      if (p.hardware_types.length) lines.push(`    hardware types: ${p.hardware_types.join(', ')}`);
      if (p.interfaces.length) lines.push(`    interfaces: ${p.interfaces.join(', ')}`);
    }
    lines.push('enabled hardware types:');
    for (const h of hardwareTypes) {
      lines.push(`  ${h.name} (${h.package})`);
      for (const [kind, i] of Object.entries(h.interfaces)) lines.push(`    ${kind.padEnd(10)} default ${i.default}; enabled ${i.enabled.join(', ')}`);
    }
    for (const w of warnings) lines.push(`warning: ${w}`);
    return lines.join('\n');
  };
  console.log(formatObject({ packages, hardware_types: hardwareTypes, warnings }, output, prose));
  return 0;
}
