/**
 * `anvil server create|list|show|delete|reboot|stop|start|rescue|unrescue|rebuild|interface-attach|
 * interface-detach` (dispatched here from commands/server.ts), `anvil flavor …` and `anvil image …`: the compute front of
 * @anvil/nova-bridge. `run` takes argv starting with the verb.
 */
import { FLAVOR_HELP, IMAGE_HELP, SERVER_HELP, SERVER_VERBS, runFlavor, runImage, runServer } from '@anvil/nova-bridge/cli';

export const COMPUTE_VERBS: readonly string[] = SERVER_VERBS;
export const HELP = `${SERVER_HELP}\n\n${FLAVOR_HELP}\n\n${IMAGE_HELP}`;

export function run(argv: string[]): Promise<number> {
  return runServer(argv);
}

export function runFlavorCommand(argv: string[]): Promise<number> {
  return runFlavor(argv);
}

export function runImageCommand(argv: string[]): Promise<number> {
  return runImage(argv);
}
