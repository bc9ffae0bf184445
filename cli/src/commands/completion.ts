/**
 * `anvil completion bash|zsh`: a completion script for the shell — command names, then `--<setting>` flags (every
 * declared setting, Anvil's and the installed plugins') for the server commands. Load it with
 * `eval "$(anvil completion bash)"` (zsh: `autoload -U bashcompinit && bashcompinit` first, which `zsh` output does).
 */
import { declaredOptions } from '@anvil/registry';
import { AnvilError } from '@anvil/sdk';
import { commandNames } from '../main.ts';

const SUBCOMMANDS: Record<string, string[]> = {
  db: ['migrate', 'status'],
  config: ['show', 'check'],
  configdrive: ['build', 'decode'],
  completion: ['bash', 'zsh'],
  node: ['list', 'show', 'enroll'],
  lab: ['down'],
  ...Object.fromEntries(['port', 'portgroup', 'chassis', 'conductor', 'driver', 'allocation', 'deploy-template', 'runbook'].map((r) => [r, ['list', 'show']])),
};

export async function completionScript(shell: 'bash' | 'zsh'): Promise<string> {
  const flags = [...(await declaredOptions()).keys()].map((k) => `--${k.replace(/_/g, '-')}`).concat(['--set', '--config', '--help']).sort();
  const subs = Object.entries(SUBCOMMANDS).map(([c, v]) => `    ${c}) words="${v.join(' ')}" ;;`).join('\n');
  const body = `_anvil() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commandNames().join(' ')} --version --help" -- "$cur")); return
  fi
  case "$cur" in
    -*) COMPREPLY=($(compgen -W "${flags.join(' ')}" -- "$cur")); return ;;
  esac
  case "$cmd" in
${subs}
    *) words="" ;;
  esac
  [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _anvil anvil
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}

export async function run(argv: string[]): Promise<number> {
  const shell = argv[0];
  if (shell !== 'bash' && shell !== 'zsh') throw new AnvilError('usage: anvil completion bash|zsh', 'InvalidParameterValue', 400);
  process.stdout.write(await completionScript(shell));
  return 0;
}
