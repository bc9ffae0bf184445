/**
 * GET /v1/nodes/{id}/validate for the conductor: run validate() of every non-vendor interface of the task's
 * driver and report Ironic's per-interface {result, reason}.
 */
import { AnvilError, INTERFACE_KINDS, type InterfaceKind, type InterfaceValidation, type Task } from '@anvil/sdk';

const EXPECTED = new Set(['InvalidParameterValue', 'MissingParameterValue', 'UnsupportedDriverExtension']);

export async function validateInterfaces(task: Task): Promise<Record<Exclude<InterfaceKind, 'vendor'>, InterfaceValidation>> {
  const out = {} as Record<Exclude<InterfaceKind, 'vendor'>, InterfaceValidation>;
  for (const kind of INTERFACE_KINDS) {
    if (kind === 'vendor') continue;
    try {
      await task.driver.get(kind).validate(task);
      out[kind] = { result: true };
    } catch (e) {
      if (AnvilError.is(e) && EXPECTED.has(e.code)) out[kind] = { result: false, reason: e.message };
      else {
        task.log.error(`unexpected error validating ${kind} interface`, { error: String(e) });
        out[kind] = {
          result: false,
          reason: `Unexpected exception, traceback saved into log by anvil conductor service that is running on ${task.conductor}: ${
            e instanceof Error ? e.message : String(e)
          }`,
        };
      }
    }
  }
  return out;
}
