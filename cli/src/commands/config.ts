/**
 * `anvil config show [settings…] [-f table|json|yaml|value]`: every setting's effective value and where it came
 * from (default, config file, ANVIL_* variable, flag), secrets masked; `anvil config check FILE`: the file checked
 * against every declared setting (Anvil's and the installed plugins'), exit 1 with one line naming the first problem.
 */
import { showOption } from '@anvil/sdk';
import { stringify as toYaml } from 'yaml';
import { checkConfigFile, loadSettings } from '../config.ts';

const USAGE = `usage: anvil config show [--config FILE] [any settings…] [-f table|json|yaml|value] [--all]
       anvil config check FILE

show   effective settings with their source (default, the config file, ANVIL_* variables, flags), secrets masked;
       (--all: with each setting's help)
check  FILE (JSON or YAML) against every setting Anvil and the installed plugin packages declare`;

const FORMATS = ['table', 'json', 'yaml', 'value'];

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'check') {
    const file = rest.find((a) => !a.startsWith('-'));
    if (!file) {
      console.error(USAGE);
      return 2;
    }
    const n = await checkConfigFile(file);
    console.log(`${file}: ok (${n} setting${n === 1 ? '' : 's'})`);
    return 0;
  }
  if (verb !== 'show') {
    console.log(USAGE);
    return verb === undefined || verb === '--help' || verb === '-h' ? 0 : 2;
  }
  const fi = rest.findIndex((a) => a === '-f' || a === '--format');
  const format = fi >= 0 ? rest[fi + 1] : 'table';
  if (!FORMATS.includes(format)) {
    console.error(`anvil config show: -f must be one of ${FORMATS.join(', ')}`);
    return 2;
  }
  const args = fi >= 0 ? [...rest.slice(0, fi), ...rest.slice(fi + 2)] : rest;
  const { settings, origins, options, flags } = await loadSettings(args, process.env, { all: 'bool' });
  const rows = [...options.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => {
      const origin = origins.get(o.name);
      return { name: o.name, value: showOption(o, settings[o.name]), source: origin?.source ?? 'default', where: origin?.where ?? 'default', owner: o.owner, help: o.help };
    });
  if (format === 'json') console.log(JSON.stringify(rows, null, 2));
  else if (format === 'yaml') console.log(toYaml(rows).trimEnd());
  else if (format === 'value') for (const r of rows) console.log(`${r.name}=${r.value}`);
  else {
    const shown = rows;
    const w = Math.max(...shown.map((r) => r.name.length));
    const v = Math.min(40, Math.max(5, ...shown.map((r) => r.value.length)));
    for (const r of shown) console.log(`${r.name.padEnd(w)}  ${r.value.padEnd(v)}  ${r.where}${flags.all ? `  ${r.help}` : ''}`);
  }
  return 0;
}
