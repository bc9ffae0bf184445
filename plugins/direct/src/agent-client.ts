/**
 * The agent REST API as Ironic calls it (ipa-contract §2): POST {agent_url}/v1/commands/?wait=&agent_token= with
 * {name, params}; GET /v1/commands/ lists results in execution order. HTTP ≥ 400 fails the call (409 / "agent is
 * busy" → AgentInProgress), a TypeError command_error fails it too. An https agent_url (the agent's automatic TLS)
 * is verified against `agentVerify`: Ironic's agent_client._get_verify.
 */
import { existsSync } from 'node:fs';
import { AnvilError, InstanceDeployFailure, InvalidParameterValue, type JsonObject, type Task } from '@anvil/sdk';
import { agentHttp, type AgentVerify } from './agent-http.ts';

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/**
 * What the agent's certificate is checked against (Ironic's _get_verify): driver_internal_info.agent_verify_ca (the
 * stored certificate the agent sent), else driver_info.agent_verify_ca, else the `agent_verify_ca` setting
 * ([agent]verify_ca, default True); a string is a boolean (oslo's strict spellings) or an existing file's path.
 */
export function agentVerify(driverInternalInfo: JsonObject, driverInfo: JsonObject, setting: unknown): AgentVerify {
  let v: unknown = driverInternalInfo.agent_verify_ca;
  if (v === undefined || v === null) v = driverInfo.agent_verify_ca;
  if (v === undefined || v === null) v = setting ?? true;
  if (typeof v === 'boolean') return v;
  const s = String(v);
  if (TRUE.includes(s.trim().toLowerCase())) return true;
  if (FALSE.includes(s.trim().toLowerCase())) return false;
  if (!existsSync(s)) throw new InvalidParameterValue(`Agent CA ${s} is neither a path nor a boolean`);
  return s;
}

export interface CommandResult {
  id: string;
  command_name: string;
  command_params: Record<string, unknown>;
  command_status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'VERSION_MISMATCH';
  command_error: null | { type?: string; code?: number; message?: string; details?: string };
  command_result: any;
}

export class AgentAPIError extends AnvilError {
  constructor(message: string, code = 'AgentAPIError') {
    super(message, code, 500);
  }
}

export class AgentClient {
  constructor(
    readonly url: string,
    readonly token: string | null,
    readonly timeoutMs = 60_000,
    readonly verify: AgentVerify = true,
  ) {}

  async command(name: string, params: Record<string, unknown>, wait: boolean): Promise<CommandResult> {
    const q = new URLSearchParams({ wait: String(wait) });
    if (this.token) q.set('agent_token', this.token);
    const url = `${this.url.replace(/\/+$/, '')}/v1/commands/?${q}`;
    let res: { status: number; text: string };
    try {
      res = await agentHttp(url, { method: 'POST', body: JSON.stringify({ name, params }), timeoutMs: this.timeoutMs, verify: this.verify });
    } catch (err) {
      throw new AgentAPIError(`Agent command ${name} failed: cannot reach the agent at ${this.url}: ${(err as Error).message}`, 'AgentConnectionFailed');
    }
    const text = res.text;
    let body: any = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      throw new AgentAPIError(`Agent command ${name} returned a non-JSON answer (HTTP ${res.status})`);
    }
    if (res.status >= 400) {
      const fault = String(body?.faultstring ?? text);
      const busy = res.status === 409 || /agent is busy/i.test(fault);
      throw new AgentAPIError(`Agent API for node returned HTTP status code ${res.status} with error: ${fault}`, busy ? 'AgentInProgress' : 'AgentAPIError');
    }
    if (body?.command_error?.type === 'TypeError') {
      throw new AgentAPIError(`Agent command ${name} failed: ${body.command_error.message ?? 'TypeError'}`);
    }
    return body as CommandResult;
  }

  async commands(): Promise<CommandResult[]> {
    const res = await agentHttp(`${this.url.replace(/\/+$/, '')}/v1/commands/`, { method: 'GET', timeoutMs: this.timeoutMs, verify: this.verify }).catch((err) => {
      throw new AgentAPIError(`Cannot reach the agent at ${this.url}: ${(err as Error).message}`, 'AgentConnectionFailed');
    });
    if (res.status >= 400) throw new AgentAPIError(`Agent API returned HTTP status code ${res.status} listing commands`);
    let body: { commands?: CommandResult[] };
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new AgentAPIError(`Agent API returned a non-JSON answer (HTTP ${res.status}) listing commands`);
    }
    return body.commands ?? [];
  }

  /** The last result with a given command name (without ext), or the last of all. */
  async last(commandName?: string): Promise<CommandResult | null> {
    const all = await this.commands();
    const list = commandName ? all.filter((c) => c.command_name === commandName) : all;
    return list.length ? list[list.length - 1] : null;
  }

  /** Poll GET /v1/commands/ until the last `commandName` result is not RUNNING (Ironic's command_wait_interval loop). */
  async waitFor(commandName: string, intervalMs: number, tries = 100): Promise<CommandResult> {
    for (let i = 0; i < tries; i++) {
      const r = await this.last(commandName);
      if (r && r.command_status !== 'RUNNING') return r;
      await new Promise((res) => setTimeout(res, intervalMs));
    }
    throw new AgentAPIError(`Timed out waiting for agent command ${commandName} to finish`);
  }
}

/** A client for the node's agent: its heartbeat's URL and token, its certificate checked per agentVerify. */
export function agentClient(task: Task, timeoutMs = 60_000): AgentClient {
  const info = task.node.driver_internal_info;
  if (typeof info.agent_url !== 'string') throw new InstanceDeployFailure(`No agent URL is known for node ${task.node.uuid} (no heartbeat yet)`);
  const token = typeof info.agent_secret_token === 'string' ? info.agent_secret_token : null;
  return new AgentClient(info.agent_url, token, timeoutMs, agentVerify(info, task.node.driver_info, task.config.agent_verify_ca));
}

/** The error text Ironic shows for a FAILED command. */
export function commandErrorText(r: CommandResult): string {
  const e = r.command_error;
  if (!e) return `${r.command_name} failed`;
  return String(e.details || e.message || e.type || 'unknown error');
}
