/**
 * nova-bench: how long after a node reaches `active` does spawn return? Event-driven waits (SSE from
 * GET /v1/anvil/events) against Nova's fixed 2 s polling, same API, same fake-hardware nodes.
 *
 *   node --import tsx bench/nova-bench.ts [--endpoint URL] [--rounds N] [--poll-interval MS] [--deploy-sleep S|MIN-MAX]
 *
 * Without --endpoint it starts `anvil server` itself (port 0-ish, temp data dir). The moment a node became
 * active is taken from the event stream by an independent observer connection; "spawn returned" is when
 * ComputeManager.create resolves. Prints one table row per mode.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputeManager, ComputeStore, IronicDriver, SseParser, customResourceClass } from '@anvil/nova-bridge';
import { startAnvil } from '../test/nova/anvil-process.ts';
import { enrollFakeNode } from '../test/nova/fake-nodes.ts';

const arg = (k: string, d?: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const rounds = Number(arg('rounds', '10'));
const pollMs = Number(arg('poll-interval', '2000'));
/** fake hardware latency per deploy call (seconds or range), so a deploy takes as long as a slow machine's */
const deploySleep = arg('deploy-sleep', '0.2-1.5')!;

/** independent observer: local receive time of each node's `active` event */
async function observe(url: string) {
  const activeAt = new Map<string, number>();
  const ctl = new AbortController();
  const res = await fetch(`${url}/v1/anvil/events`, { signal: ctl.signal });
  if (res.status !== 200) throw new Error(`${url} has no event stream (HTTP ${res.status}); the bench needs Anvil`);
  const parser = new SseParser();
  const dec = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const m of parser.push(dec.decode(chunk, { stream: true }))) {
          const e = JSON.parse(m.data) as { uuid: string; provision_state: string };
          if (e.provision_state === 'active') activeAt.set(e.uuid, performance.now());
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { activeAt, close: () => ctl.abort() };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const own = arg('endpoint') ? null : await startAnvil();
  const url = arg('endpoint') ?? own!.url;
  const dir = mkdtempSync(join(tmpdir(), 'nova-bench-'));
  const obs = await observe(url);
  const rows: string[][] = [];
  try {
    const rc = `bench-${randomUUID().slice(0, 6)}`;
    await enrollFakeNode(url, { name: `${rc}-0`, resourceClass: rc, driverInfo: { fake_deploy_sleep: deploySleep } });
    for (const mode of ['sse', 'poll'] as const) {
      const store = await ComputeStore.open({ data_dir: join(dir, mode) });
      await store.putFlavor({ id: randomUUID(), name: 'bm', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: { [`resources:${customResourceClass(rc)}`]: '1' } });
      const driver = await IronicDriver.create({ endpoint: url, waitMode: mode, apiRetryIntervalMs: pollMs, host: 'bench' });
      const mgr = new ComputeManager(store, driver);
      const lat: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const inst = await mgr.create({ name: `b${i}`, flavor: 'bm', image: randomUUID() });
        const returned = performance.now();
        const active = obs.activeAt.get(inst.node!);
        if (active === undefined) throw new Error('observer saw no active event');
        obs.activeAt.delete(inst.node!);
        lat.push(returned - active);
        total.push(returned - t0);
        await mgr.delete(inst.uuid);
      }
      await driver.close();
      await store.close();
      rows.push([mode === 'sse' ? 'events (SSE)' : `polling ${pollMs} ms`, String(rounds), ...[50, 90, 100].map((p) => pct(lat, p).toFixed(1)), pct(total, 50).toFixed(0)]);
    }
  } finally {
    obs.close();
    await own?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const head = ['wait', 'spawns', 'active→return p50 ms', 'p90 ms', 'max ms', 'spawn total p50 ms'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log([line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

await main();
