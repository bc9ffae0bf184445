/**
 * Drives the REAL `baremetal` CLI (python-ironicclient; ANVIL_BAREMETAL_CLI from scripts/services/pyclients.sh)
 * against one `anvil server` child process per test file.
 */
import { after, before } from 'node:test';
import { failWithout } from '../prereq.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientEnv, startAnvil, type AnvilProcess } from './anvil-process.ts';

const run = promisify(execFile);
const CLI = process.env.ANVIL_BAREMETAL_CLI;
const missing = CLI ? false : 'ANVIL_BAREMETAL_CLI is not set (bash scripts/services/pyclients.sh start; eval its env)';

let anvil: AnvilProcess | undefined;
/** Registers before/after hooks that start and stop Anvil for the calling test file. */
export function useAnvil(): void {
  failWithout(missing);
  before(async () => {
    anvil = await startAnvil();
  });
  after(() => anvil?.stop());
}

export async function bm(args: string[], version?: string): Promise<string> {
  const env = clientEnv(anvil!.url, version ? { OS_BAREMETAL_API_VERSION: version } : {});
  try {
    const { stdout } = await run(CLI!, args, { env, timeout: 60_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`baremetal ${args.join(' ')} failed: ${err.stderr ?? ''}${err.stdout ?? ''}\n--- anvil ---\n${anvil!.output()}`);
  }
}

export const bmJson = async (args: string[], version?: string) => JSON.parse(await bm([...args, '-f', 'json'], version));

/** Runs a command that must fail; returns its stderr. */
export async function bmFails(args: string[]): Promise<string> {
  try {
    await run(CLI!, args, { env: clientEnv(anvil!.url), timeout: 60_000 });
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error(`baremetal ${args.join(' ')} unexpectedly succeeded`);
}
