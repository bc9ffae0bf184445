/** A small Neutron v2.0 REST client (ports only): the calls Ironic's neutron helpers make. */
import { AnvilError } from '@anvil/sdk';

export class NetworkError extends AnvilError {
  constructor(message: string) {
    super(message, 'NetworkError', 500);
  }
}

export type NeutronPort = Record<string, unknown> & { id: string };

export class NeutronClient {
  constructor(
    readonly url: string,
    readonly token: string | null = null,
    readonly timeoutMs = 30_000,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers['X-Auth-Token'] = this.token;
    let res: Response;
    try {
      res = await fetch(`${this.url.replace(/\/+$/, '')}/v2.0${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new NetworkError(`Could not reach Neutron at ${this.url}: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (res.status >= 400) {
      let msg = text;
      try {
        msg = JSON.parse(text)?.NeutronError?.message ?? text;
      } catch {
        // plain text error
      }
      throw new NetworkError(`Neutron ${method} ${path} failed with HTTP ${res.status}: ${msg}`);
    }
    return text ? JSON.parse(text) : null;
  }

  async createPort(port: Record<string, unknown>): Promise<NeutronPort> {
    return (await this.call('POST', '/ports', { port })).port;
  }
  async updatePort(id: string, port: Record<string, unknown>): Promise<NeutronPort> {
    return (await this.call('PUT', `/ports/${encodeURIComponent(id)}`, { port })).port;
  }
  async getPort(id: string): Promise<NeutronPort> {
    return (await this.call('GET', `/ports/${encodeURIComponent(id)}`)).port;
  }
  async deletePort(id: string): Promise<void> {
    try {
      await this.call('DELETE', `/ports/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!/HTTP 404/.test((err as Error).message)) throw err; // already gone: fine, like Ironic
    }
  }
  async listPorts(query: Record<string, string> = {}): Promise<NeutronPort[]> {
    const q = new URLSearchParams(query).toString();
    return (await this.call('GET', `/ports${q ? `?${q}` : ''}`)).ports;
  }
}

/** The client for a task's settings (neutron_url, neutron_auth_token), or null when Neutron is not configured. */
export function neutronFor(config: Readonly<Record<string, unknown>>): NeutronClient | null {
  const url = config.neutron_url;
  if (typeof url !== 'string' || !url) return null;
  return new NeutronClient(url, typeof config.neutron_auth_token === 'string' ? config.neutron_auth_token : null);
}
