/**
 * Drives a REAL `baremetal` CLI (python-ironicclient) against one `anvil server` child process per test file:
 * `useBaremetalCli` registers the hooks that start and stop Anvil and returns bm/bmJson/bmFails bound to it.
 * `useAnvil` + the module-level bm/bmJson/bmFails are the same for Debian's CLI (ANVIL_BAREMETAL_CLI from
 * scripts/services/pyclients.sh).
 */
import { after, before } from 'node:test';
import { failWithout } from '../prereq.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientEnv, startAnvil, type AnvilProcess } from './anvil-process.ts';

const run = promisify(execFile);

export interface BaremetalCli {
  /** Runs `baremetal ARGS` (OS_BAREMETAL_API_VERSION = version, or the default given to useBaremetalCli); its stdout. */
  bm(args: string[], version?: string): Promise<string>;
  bmJson(args: string[], version?: string): Promise<any>;
  /** Runs a command that must fail; returns its stderr. */
  bmFails(args: string[], version?: string): Promise<string>;
  /** The Anvil started for this file (after the before hook ran). */
  anvil(): AnvilProcess;
}

export interface BaremetalCliOptions {
  /** the `baremetal` executable (from a service script's env) */
  cli: string | undefined;
  /** the line naming what is missing when cli (or anything else the file needs) is not set */
  missing: string | false;
  anvilArgs?: string[];
  version?: string;
}

export function useBaremetalCli(o: BaremetalCliOptions): BaremetalCli {
  failWithout(o.missing);
  let anvil: AnvilProcess | undefined;
  before(async () => {
    if (!o.missing) anvil = await startAnvil(o.anvilArgs);
  });
  after(() => anvil?.stop());
  const env = (version = o.version) => clientEnv(anvil!.url, version ? { OS_BAREMETAL_API_VERSION: version } : {});
  const bm = async (args: string[], version?: string) => {
    try {
      const { stdout } = await run(o.cli!, args, { env: env(version), timeout: 90_000 });
      return stdout;
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string };
      throw new Error(`baremetal ${args.join(' ')} failed: ${err.stderr ?? ''}${err.stdout ?? ''}\n--- anvil ---\n${anvil!.output()}`);
    }
  };
  return {
    bm,
    bmJson: async (args, version) => JSON.parse(await bm([...args, '-f', 'json'], version)),
    async bmFails(args, version) {
      try {
        await run(o.cli!, args, { env: env(version), timeout: 90_000 });
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
      throw new Error(`baremetal ${args.join(' ')} unexpectedly succeeded`);
    },
    anvil: () => anvil!,
  };
}

const CLI = process.env.ANVIL_BAREMETAL_CLI;
let debian: BaremetalCli | undefined;

/** Registers before/after hooks that start and stop Anvil for the calling test file (Debian's `baremetal`). */
export function useAnvil(): void {
  debian = useBaremetalCli({ cli: CLI, missing: CLI ? false : 'ANVIL_BAREMETAL_CLI is not set (bash scripts/services/pyclients.sh start; eval its env)' });
}

export const bm = (args: string[], version?: string) => debian!.bm(args, version);
export const bmJson = (args: string[], version?: string) => debian!.bmJson(args, version);
export const bmFails = (args: string[]) => debian!.bmFails(args);
