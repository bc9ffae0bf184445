/**
 * Sending the same requests to Anvil and to the real Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL)
 * and comparing the answers once UUIDs, timestamps, the base URL and fields Anvil does not have yet are normalised.
 * Used by ironic39-diff.test.ts and runbooks-115.test.ts; `call` by the flow tests (history-115, clean-agent-115,
 * service-agent-115).
 */
import { sleep } from '../wait.ts';

export type Step = [method: string, path: string, version: string, body?: unknown];
export interface Answer {
  status: number;
  body: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TS = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00/g;
// not in Anvil yet (1.87); host names; Ironic's PATCH answer shows its own lock still held (`reservation`)
export const NOT_YET = ['service_step', 'conductor', 'reservation'];

export function normalise(base: string, text: string, drop: readonly string[] = NOT_YET): string {
  if (!text) return '';
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !drop.includes(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  let s = JSON.stringify(strip(JSON.parse(text)));
  s = s.split(base).join('BASE');
  return s.replace(UUID, 'U').replace(TS, 'T');
}

/**
 * Ironic's periodic tasks may hold a node's lock for a moment (409 NodeLocked), or its SQLite database (a 500
 * "database is locked", the write rolled back): such an answer is asked again.
 */
export const ironicBusy = (status: number, text: string) => (status === 409 && /locked by host/.test(text)) || (status === 500 && /database is locked/.test(text));

/**
 * One connection per request: Ironic 39 closes its connection after an unhandled 500 (one of its known bugs), and a
 * kept-alive socket reused in that moment fails with "other side closed" before the next request is read.
 */
export async function send(base: string, [method, path, version, body]: Step, drop?: readonly string[]): Promise<Answer> {
  const r = await fetch(base + path, {
    method,
    headers: {
      'X-OpenStack-Ironic-API-Version': version,
      Connection: 'close',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: normalise(base, await r.text(), drop) };
}

/** Each step to both; the differences (empty when Anvil answered every step as Ironic 39). */
export async function diffSteps(anvil: string, ironic: string, steps: Step[], drop?: readonly string[]): Promise<string[]> {
  const diffs: string[] = [];
  for (const step of steps) {
    const a = await send(anvil, step, drop);
    let b = await send(ironic, step, drop);
    for (let i = 0; i < 5 && ironicBusy(b.status, b.body); i++) {
      await sleep(500);
      b = await send(ironic, step, drop);
    }
    if (a.status === b.status && a.body === b.body) continue;
    let i = 0;
    while (i < a.body.length && a.body[i] === b.body[i]) i++;
    const at = (s: string) => s.slice(Math.max(0, i - 80), i + 200);
    diffs.push(`${step[0]} ${step[1]} @${step[2]}\n  anvil  ${a.status} …${at(a.body)}\n  ironic ${b.status} …${at(b.body)}`);
  }
  return diffs;
}

/**
 * A JSON request to Anvil or Ironic 39 (one connection each, as `send`), asked again for up to ~6 s while Ironic is
 * busy (ironicBusy); the parsed body, not normalised.
 */
export async function call(base: string, method: string, path: string, body?: unknown, version = '1.115'): Promise<{ status: number; body: any }> {
  for (let i = 0; ; i++) {
    const r = await fetch(base + path, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': version, Connection: 'close', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (i < 20 && ironicBusy(r.status, text)) {
      await sleep(300);
      continue;
    }
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
}
