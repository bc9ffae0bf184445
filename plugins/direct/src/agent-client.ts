/**
 * The agent REST API as Ironic calls it (ipa-contract §2): POST {agent_url}/v1/commands/?wait=&agent_token= with
 * {name, params}; GET /v1/commands/ lists results in execution order. HTTP ≥ 400 fails the call (409 / "agent is
 * busy" → AgentInProgress), a TypeError command_error fails it too.
 */
import { AnvilError } from '@anvil/sdk';

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
  ) {}

  async command(name: string, params: Record<string, unknown>, wait: boolean): Promise<CommandResult> {
    const q = new URLSearchParams({ wait: String(wait) });
    if (this.token) q.set('agent_token', this.token);
    const url = `${this.url.replace(/\/+$/, '')}/v1/commands/?${q}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AgentAPIError(`Agent command ${name} failed: cannot reach the agent at ${this.url}: ${(err as Error).message}`, 'AgentConnectionFailed');
    }
    const text = await res.text();
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
    const res = await fetch(`${this.url.replace(/\/+$/, '')}/v1/commands/`, { signal: AbortSignal.timeout(this.timeoutMs) }).catch((err) => {
      throw new AgentAPIError(`Cannot reach the agent at ${this.url}: ${(err as Error).message}`, 'AgentConnectionFailed');
    });
    if (res.status >= 400) throw new AgentAPIError(`Agent API returned HTTP status code ${res.status} listing commands`);
    const body = (await res.json()) as { commands?: CommandResult[] };
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

/** The error text Ironic shows for a FAILED command. */
export function commandErrorText(r: CommandResult): string {
  const e = r.command_error;
  if (!e) return `${r.command_name} failed`;
  return String(e.details || e.message || e.type || 'unknown error');
}
