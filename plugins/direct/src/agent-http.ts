/**
 * One HTTP(S) request to the agent's REST API (node:http / node:https, a fresh connection each time: the agent is
 * a ramdisk that comes and goes). Over https the agent's certificate is checked as Ironic's `requests` does with
 * `verify=`: a CA file path (the certificate ironic-python-agent generated and sent as `agent_verify_ca`), true (the
 * system's CA store) or false (not checked). The host name (an IP address for the agent) must match the
 * certificate's subjectAltName.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export type AgentVerify = boolean | string;

export interface AgentHttpAnswer {
  status: number;
  text: string;
}

export function agentHttp(url: string, o: { method: string; body?: string; timeoutMs: number; verify: AgentVerify }): Promise<AgentHttpAnswer> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const opts: https.RequestOptions = {
    method: o.method,
    agent: false,
    signal: AbortSignal.timeout(o.timeoutMs),
    headers: o.body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(o.body) },
  };
  if (secure && typeof o.verify === 'string') opts.ca = readFileSync(o.verify);
  if (secure && o.verify === false) opts.rejectUnauthorized = false;
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(u, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (e: Error & { code?: string }) => reject(e.code && !e.message.includes(e.code) ? new Error(`${e.code}: ${e.message}`) : e));
    req.end(o.body);
  });
}
