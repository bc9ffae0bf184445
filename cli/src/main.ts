/** `anvil <command> [args]`: one entry for every process and tool. Each command lives in commands/<name>.ts. */
import { readFileSync } from 'node:fs';
import { AnvilError } from '@anvil/sdk';

/** Anvil's version: the root package.json's (the one `npm start` and the tests run). */
export function anvilVersion(): string {
  const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return root.version;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  server: { summary: 'run API + conductor in one process (embedded defaults); `server <verb>` drives instances', load: () => import('./commands/server.ts') },
  api: { summary: 'run the API service alone', load: () => import('./commands/api.ts') },
  conductor: { summary: 'run a conductor alone', load: () => import('./commands/conductor.ts') },
  compute: { summary: 'run the compute service alone (Nova-compatible /v2.1 API, scheduler, builds)', load: () => import('./commands/compute.ts') },
  config: { summary: 'settings: `config show` (effective values and their source), `config check FILE`', load: () => import('./commands/config.ts') },
  db: { summary: 'database tools: `db migrate`', load: () => import('./commands/db.ts') },
  flavor: { summary: 'compute flavors for `anvil server create` (nova-bridge)', load: async () => ({ run: (await import('./commands/server-compute.ts')).runFlavorCommand }) },
  image: { summary: 'compute images (URL + checksum) for `anvil server create` (nova-bridge)', load: async () => ({ run: (await import('./commands/server-compute.ts')).runImageCommand }) },
  configdrive: { summary: 'build/decode config-2 drives (ISO9660/VFAT) that cloud-init reads', load: () => import('./commands/configdrive.ts') },
  plugins: { summary: 'list driver plugin packages and the hardware types they enable', load: () => import('./commands/plugins.ts') },
  node: { summary: '`node enroll FILE`: enrol a YAML/JSON/CSV inventory (create, ports, manage, provide) in parallel', load: () => import('./commands/node.ts') },
  watch: { summary: 'live node events (state changes) from the API event stream', load: () => import('./commands/watch.ts') },
  completion: { summary: 'shell completion: `eval "$(anvil completion bash)"` (bash or zsh)', load: () => import('./commands/completion.ts') },
  why: { summary: 'explain a node (state, wait deadline, lock, last failure diagnosis, boot trace) or a MAC\'s boot trace', load: () => import('./commands/why.ts') },
  lab: { summary: 'a virtual rack of real machines: qemu VMs PXE-booting the real agent, ipmi_sim BMCs (root; `lab down`)', load: () => import('./commands/lab.ts') },
  sim: { summary: 'simulated bare-metal nodes (ipmi_sim BMC + PXE firmware + agent) for demos and scale tests', load: () => import('./commands/sim.ts') },
};

/** The command names (shell completion). */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

export function registerCommand(name: string, summary: string, load: (typeof COMMANDS)[string]['load']): void {
  COMMANDS[name] = { summary, load };
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`);
  return `usage: anvil <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'anvil <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    console.log(`anvil ${anvilVersion()}`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`anvil: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const mod = await cmd.load();
  try {
    return await mod.run(rest);
  } catch (err) {
    // A refusal to start (PluginLoadError, bad settings …) is one clear line, not a stack trace; exit at once
    // because servers bound early would otherwise keep the process alive.
    // Anything else is one line too; the stack only with --log-level debug / ANVIL_LOG_LEVEL=debug.
    console.error(`anvil: ${AnvilError.is(err) ? err.message : ((err as Error)?.message ?? String(err))}`);
    if (!AnvilError.is(err) && (process.env.ANVIL_LOG_LEVEL === 'debug' || rest.includes('debug'))) console.error((err as Error)?.stack);
    process.exit(1);
  }
}
