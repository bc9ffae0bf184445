/**
 * Scrapes an Anvil /metrics endpoint every second while a benchmark runs (parsed by test/ops/prom-text.ts) and
 * summarises what the operator's dashboard would have shown: the most nodes seen in each provision state, request
 * and RPC counts with their mean latency, tasks per flow, BMC calls, the database pool.
 */
import { parsePrometheus, type Sample, select, sum } from '../test/ops/prom-text.ts';

export interface ScrapeSummary {
  scrapes: number;
  rows: [string, string][];
}

async function scrape(url: string): Promise<Sample[] | null> {
  try {
    return parsePrometheus(await (await fetch(`${url}/metrics`)).text());
  } catch {
    return null;
  }
}

const mean = (s: Sample[], base: string, match: Record<string, string> = {}) => {
  const n = sum(s, `${base}_count`, match);
  return n ? `${sum(s, `${base}_count`, match)} (mean ${((sum(s, `${base}_sum`, match) / n) * 1000).toFixed(1)} ms)` : '0';
};

export async function scrapeDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; metrics: ScrapeSummary }> {
  const peak = new Map<string, number>();
  let poolUsed = 0;
  let last: Sample[] | null = null;
  let scrapes = 0;
  let done = false;
  const loop = (async () => {
    while (!done) {
      const s = await scrape(url);
      if (s) {
        scrapes++;
        last = s;
        const byState = new Map<string, number>();
        for (const x of select(s, 'anvil_nodes')) byState.set(x.labels.provision_state, (byState.get(x.labels.provision_state) ?? 0) + x.value);
        for (const [k, v] of byState) peak.set(k, Math.max(peak.get(k) ?? 0, v));
        poolUsed = Math.max(poolUsed, sum(s, 'anvil_db_pool_connections', { state: 'used' }));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const result = await work();
  done = true;
  await loop;
  const s = (await scrape(url)) ?? last ?? [];
  const flows = [...new Set(select(s, 'anvil_task_duration_seconds_count').map((x) => x.labels.flow))].sort();
  const rows: [string, string][] = [
    ['nodes by provision state (peak seen)', [...peak].map(([k, v]) => `${k} ${v}`).join(', ') || '-'],
    ['HTTP requests', mean(s, 'anvil_http_request_duration_seconds')],
    ['HTTP 5xx', String(select(s, 'anvil_http_requests_total').filter((x) => x.labels.status.startsWith('5')).reduce((a, x) => a + x.value, 0))],
    ['RPC do_provision_action', mean(s, 'anvil_rpc_call_duration_seconds', { method: 'do_provision_action' })],
    ...flows.map((f): [string, string] => [`tasks: ${f}`, mean(s, 'anvil_task_duration_seconds', { flow: f })]),
    ['BMC calls (power, management)', mean(s, 'anvil_bmc_call_duration_seconds')],
    ['conductors alive', String(sum(s, 'anvil_conductors_alive'))],
    ['DB pool connections used (peak)', String(poolUsed)],
  ];
  return { result, metrics: { scrapes, rows } };
}
