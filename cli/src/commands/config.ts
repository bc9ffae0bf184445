/**
 * `anvil config show [settings…] [-f table|json|yaml|value] [-c COLUMN]`: every setting's effective value and where it came
 * from (default, config file, ANVIL_* variable, flag), secrets masked; `anvil config check FILE`: the file checked
 * against every declared setting (Anvil's and the installed plugins'), exit 1 with one line naming the first problem.
 */
import { showOption } from '@anvil/sdk';
import { OUTPUT_USAGE, formatRecords, splitOutputArgs } from '@anvil/sdk/output';
import { checkConfigFile, loadSettings } from '../config.ts';

const USAGE = `usage: anvil config show [--config FILE] [any settings…] [--all] [output options]
       anvil config check FILE

show   effective settings with their source (default, the config file, ANVIL_* variables, flags), secrets masked;
       (--all: with each setting's help)
check  FILE (JSON or YAML) against every setting Anvil and the installed plugin packages declare
${OUTPUT_USAGE}`;

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
  const { output, rest: args } = splitOutputArgs(rest, process.env);
  const { settings, origins, options, flags } = await loadSettings(args, process.env, { all: 'bool' });
  const rows = [...options.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => {
      const origin = origins.get(o.name);
      return { name: o.name, value: showOption(o, settings[o.name]), source: origin?.source ?? 'default', where: origin?.where ?? 'default', owner: o.owner, help: o.help };
    });
  const columns = (['name', 'value', 'source', 'where', 'owner', ...(flags.all ? ['help'] : [])] as const).map((c) => [c, c] as const);
  const text = formatRecords(columns, rows, output);
  if (text) console.log(text);
  return 0;
}
