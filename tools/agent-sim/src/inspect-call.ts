/**
 * The agent's inspection call (IPA inspector.call_inspector): POST {inventory, root_disk, boot_interface, ...} to
 * the ipa-inspection-callback-url. Against Ironic's /v1/continue_inspection at API ≥ 1.84 the answer is the lookup
 * answer (node + agent token), older forms answer {"uuid"}. Retries with back-off like IPA until accepted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { simPluginData } from './inventory.ts';

export interface InspectionAnswer {
  status: number;
  uuid: string | null;
  token: string | null;
  heartbeatTimeout: number | null;
}

export async function callInspector(url: string, inventory: Record<string, unknown>, apiMinor: number, signal: AbortSignal, attempts = 8): Promise<InspectionAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (/\/continue_inspection\/?$/.test(url) && apiMinor >= 84) headers['X-OpenStack-Ironic-API-Version'] = '1.84';
  const body = JSON.stringify({ inventory, ...simPluginData(inventory) });
  let delay = 200;
  let last: InspectionAnswer = { status: 0, uuid: null, token: null, heartbeatTimeout: null };
  for (let i = 0; i < attempts && !signal.aborted; i++) {
    try {
      const r = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
      const text = await r.text();
      last = { status: r.status, uuid: null, token: null, heartbeatTimeout: null };
      if (r.status === 202 || r.status === 200) {
        const j = text ? (JSON.parse(text) as { uuid?: string; node?: { uuid: string }; config?: { agent_token?: string; heartbeat_timeout?: number } }) : {};
        return { status: r.status, uuid: j.node?.uuid ?? j.uuid ?? null, token: j.config?.agent_token ?? null, heartbeatTimeout: j.config?.heartbeat_timeout ?? null };
      }
      if (r.status >= 400 && r.status < 500 && r.status !== 404) return last; // a bad request does not get better
    } catch {
      last = { status: 0, uuid: null, token: null, heartbeatTimeout: null };
    }
    await sleep(delay, undefined, { signal }).catch(() => undefined);
    delay = Math.min(delay * 2, 2000);
  }
  return last;
}
