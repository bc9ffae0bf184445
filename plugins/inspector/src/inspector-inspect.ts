/**
 * The `inspector` inspect interface (Ironic's drivers/modules/inspector, for the seeds' ironic-inspector flow): the
 * `agent` interface's managed boot, but the agent posts its data to the Inspector-compatible API's
 * `POST /v1/continue` (`inspector_callback_url`, default the API's address on `inspector_port`). The same lookup,
 * hooks and rules run on both paths; `GET /v1/introspection/<node>` on that API reports the outcome.
 */
import type { InterfaceFactory, Task } from '@anvil/sdk';
import { pxeSettings } from '@anvil/plugin-pxe';
import { AgentInspect } from './agent-inspect.ts';

/** `inspector_callback_url`, else the API URL's host on `inspector_port` + /v1/continue. */
export function inspectorCallbackUrl(config: Readonly<Record<string, unknown>>, apiUrl: string): string {
  const given = typeof config.inspector_callback_url === 'string' ? config.inspector_callback_url.trim() : '';
  if (given) return given;
  const u = new URL(apiUrl);
  u.port = String(config.inspector_port ?? 5050);
  u.pathname = '/v1/continue';
  return u.toString();
}

export class InspectorInspect extends AgentInspect {
  protected override callbackUrl(task: Task): string {
    return inspectorCallbackUrl({ ...this.inspectorSettings, ...task.config }, pxeSettings(task.config, task).apiUrl);
  }

  constructor(private readonly inspectorSettings: Readonly<Record<string, unknown>>) {
    super(inspectorSettings);
  }
}

const factory: InterfaceFactory<'inspect'> = (settings) => new InspectorInspect(settings as unknown as Record<string, unknown>);
export default factory;
