/** `anvil <command> [args]`: one entry for every process and tool. Each command lives in commands/<name>.ts. */
import { readFileSync } from 'node:fs';
import { AnvilError } from '@anvil/sdk';

/** Anvil's version: the root package.json's (the one `npm start` and the tests run). */
export function anvilVersion(): string {
  const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return root.version;
}

type Load = () => Promise<{ run(argv: string[]): Promise<number> }>;

/**
 * A command: its summary, its module, and `data`: every invocation of it that prints data (placeholders in braces:
 * {node}, {port} … name objects the test makes). Each of those takes the one formatter's options (`-f table|json|
 * yaml|value`, `-c`, `--noindent`, `--max-width`; @anvil/sdk/output), which test/ops/output-formats.test.ts checks
 * by running each with every format: a command added here that prints data must list it.
 */
export interface CommandEntry {
  summary: string;
  load: Load;
  data: readonly string[];
}

const resource = (name: string): Load => async () => {
  const { runResource, usage } = await import('./commands/resources.ts');
  return { run: async (argv) => (await runResource(name, argv)) ?? (console.log(usage(name)), ['-h', '--help'].includes(argv[0]) ? 0 : 2) };
};
const list = (name: string, id: string) => [`${name} list`, `${name} show {${id}}`];

const COMMANDS: Record<string, CommandEntry> = {
  server: { summary: 'run API + conductor in one process (embedded defaults); `server <verb>` drives instances', load: () => import('./commands/server.ts'), data: ['server list', 'server show {server}'] },
  api: { summary: 'run the API service alone', load: () => import('./commands/api.ts'), data: [] },
  conductor: { summary: 'run a conductor alone; `conductor list|show` reads the API\'s conductors', load: () => import('./commands/conductor.ts'), data: list('conductor', 'conductor') },
  compute: { summary: 'run the compute service alone (Nova-compatible /v2.1 API, scheduler, builds)', load: () => import('./commands/compute.ts'), data: [] },
  config: { summary: 'settings: `config show` (effective values and their source), `config check FILE`', load: () => import('./commands/config.ts'), data: ['config show', 'config show --all'] },
  db: { summary: 'database tools: `db migrate`, `db status`', load: () => import('./commands/db.ts'), data: ['db status'] },
  flavor: { summary: 'compute flavors for `anvil server create` (nova-bridge)', load: async () => ({ run: (await import('./commands/server-compute.ts')).runFlavorCommand }), data: ['flavor list', 'flavor show {flavor}'] },
  image: { summary: 'compute images (URL + checksum) for `anvil server create` (nova-bridge)', load: async () => ({ run: (await import('./commands/server-compute.ts')).runImageCommand }), data: ['image list', 'image show {image}'] },
  configdrive: { summary: 'build/decode config-2 drives (ISO9660/VFAT) that cloud-init reads', load: () => import('./commands/configdrive.ts'), data: [] },
  plugins: { summary: 'list driver plugin packages and the hardware types they enable', load: () => import('./commands/plugins.ts'), data: ['plugins'] },
  node: { summary: '`node list|show`; `node enroll FILE`: enrol a YAML/JSON/CSV inventory (create, ports, manage, provide) in parallel', load: () => import('./commands/node.ts'), data: [...list('node', 'node'), 'node enroll {inventory}'] },
  port: { summary: 'ports: `port list|show`', load: resource('port'), data: list('port', 'port') },
  portgroup: { summary: 'port groups: `portgroup list|show`', load: resource('portgroup'), data: list('portgroup', 'portgroup') },
  chassis: { summary: 'chassis: `chassis list|show`', load: resource('chassis'), data: list('chassis', 'chassis') },
  driver: { summary: 'drivers (hardware types) and the conductors serving them: `driver list|show`', load: resource('driver'), data: list('driver', 'driver') },
  allocation: { summary: 'allocations: `allocation list|show`', load: resource('allocation'), data: list('allocation', 'allocation') },
  'deploy-template': { summary: 'deploy templates: `deploy-template list|show`', load: resource('deploy-template'), data: list('deploy-template', 'deploy_template') },
  runbook: { summary: 'runbooks: `runbook list|show`', load: resource('runbook'), data: list('runbook', 'runbook') },
  watch: { summary: 'live node events (state changes) from the API event stream', load: () => import('./commands/watch.ts'), data: [] },
  completion: { summary: 'shell completion: `eval "$(anvil completion bash)"` (bash or zsh)', load: () => import('./commands/completion.ts'), data: [] },
  why: { summary: 'explain a node (state, wait deadline, lock, last failure diagnosis, boot trace) or a MAC\'s boot trace', load: () => import('./commands/why.ts'), data: ['why {node}', 'why {mac}'] },
  lab: { summary: 'a virtual rack of real machines: qemu VMs PXE-booting the real agent, ipmi_sim BMCs (root; `lab down`)', load: () => import('./commands/lab.ts'), data: [] },
  sim: { summary: 'simulated bare-metal nodes (ipmi_sim BMC + PXE firmware + agent) for demos and scale tests', load: () => import('./commands/sim.ts'), data: [] },
  version: { summary: "Anvil's version (also `anvil --version`)", load: async () => ({ run: runVersion }), data: ['version'] },
};

async function runVersion(argv: string[]): Promise<number> {
  const { splitOutputArgs, formatObject } = await import('@anvil/sdk/output');
  const { output, rest } = splitOutputArgs(argv, process.env);
  if (rest.length) throw new AnvilError(`anvil version: unrecognized arguments: ${rest.join(' ')}`, 'InvalidParameterValue', 400);
  console.log(formatObject({ name: 'anvil', version: anvilVersion() }, output, () => `anvil ${anvilVersion()}`));
  return 0;
}

/** the registry, read-only (shell completion, the formats test) */
export function commands(): Readonly<Record<string, CommandEntry>> {
  return COMMANDS;
}

/** The command names (shell completion). */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

export function registerCommand(name: string, summary: string, load: Load, data: readonly string[] = []): void {
  COMMANDS[name] = { summary, load, data };
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)} ${c.summary}`);
  return `usage: anvil <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'anvil <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(`anvil ${anvilVersion()}`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`anvil: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).run(rest);
  } catch (err) {
    // A refusal to start (PluginLoadError, bad settings …) is one clear line, not a stack trace; exit at once
    // because servers bound early would otherwise keep the process alive.
    // Anything else is one line too; the stack only with --log-level debug / ANVIL_LOG_LEVEL=debug.
    console.error(`anvil: ${AnvilError.is(err) ? err.message : ((err as Error)?.message ?? String(err))}`);
    if (!AnvilError.is(err) && (process.env.ANVIL_LOG_LEVEL === 'debug' || rest.includes('debug'))) console.error((err as Error)?.stack);
    process.exit(1);
  }
}
