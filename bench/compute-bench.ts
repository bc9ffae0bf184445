/**
 * compute-bench: N concurrent `POST /v2.1/servers` against N available fake-hardware nodes through Anvil's compute
 * API (`anvil server`, SQLite, compute service inside), until every server is ACTIVE. Reports the wall time, the
 * per-request POST latency (202) and the per-server create→ACTIVE time (p50/p99), next to a baseline: the same
 * servers built one at a time (each create waits for the previous one to be ACTIVE), and to the fake deploy time.
 *
 *   node --import tsx bench/compute-bench.ts [--count 100] [--deploy-sleep 0.5] [--baseline 10]
 */
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { startAnvil } from '../test/nova/anvil-process.ts';
import { compute, createServers, enrollFleet, flavorAndImage, percentile, waitSettled } from '../test/nova/compute-fleet.ts';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const count = Number(arg('count', '100'));
const baselineCount = Number(arg('baseline', '10'));
const deploySleep = arg('deploy-sleep', '0.5');

async function main() {
  const anvil = await startAnvil();
  try {
    const rc = `bench-${randomUUID().slice(0, 6)}`;
    const t0 = performance.now();
    const nodes = await enrollFleet(anvil.url, rc, count, deploySleep, 10);
    console.error(`enrolled ${nodes.length} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const fi = await flavorAndImage(anvil.computeUrl, rc);

    // baseline: one at a time
    const serial: number[] = [];
    const b0 = performance.now();
    for (let i = 0; i < baselineCount; i++) {
      const s0 = performance.now();
      const [m] = await createServers([anvil.computeUrl], 1, `${rc}-serial-${i}`, fi);
      await waitSettled(anvil.computeUrl, [m.id], s0, 120_000);
      serial.push(performance.now() - s0);
    }
    const serialWall = performance.now() - b0;
    for (const s of (await compute(anvil.computeUrl, 'GET', '/v2.1/servers')).servers) await compute(anvil.computeUrl, 'DELETE', `/v2.1/servers/${s.id}`);
    await waitSettledGone(anvil.computeUrl);
    await new Promise((r) => setTimeout(r, 2000)); // nodes back to available (fake cleaning)

    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    const c0 = performance.now();
    const made = await createServers([anvil.computeUrl], count, `${rc}-c`, fi);
    const { servers, settledAt } = await waitSettled(anvil.computeUrl, made.map((m) => m.id), c0, 600_000);
    const wall = performance.now() - c0;
    const active = servers.filter((s) => s.status === 'ACTIVE').length;
    const post = made.map((m) => m.ms);
    const toActive = [...settledAt.values()];
    const row = (name: string, n: number, w: number, p50: number, p99: number, req50: string, req99: string) =>
      `| ${name} | ${n} | ${(w / 1000).toFixed(1)} | ${req50} | ${req99} | ${(p50 / 1000).toFixed(2)} | ${(p99 / 1000).toFixed(2)} |`;
    console.log(`load average before the concurrent run: ${load}; fake_deploy_sleep ${deploySleep} s per deploy step`);
    console.log('| run | servers | wall s | POST p50 ms | POST p99 ms | create→ACTIVE p50 s | create→ACTIVE p99 s |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(row('one at a time (baseline)', baselineCount, serialWall, percentile(serial, 50), percentile(serial, 99), '-', '-'));
    console.log(row(`${count} concurrent`, count, wall, percentile(toActive, 50), percentile(toActive, 99), percentile(post, 50).toFixed(0), percentile(post, 99).toFixed(0)));
    console.log(`ACTIVE: ${active}/${count}; throughput ${(count / (wall / 1000)).toFixed(1)} servers/s vs ${(baselineCount / (serialWall / 1000)).toFixed(1)} one at a time (×${(count / wall / (baselineCount / serialWall)).toFixed(1)})`);
    if (active !== count) process.exitCode = 1;
  } finally {
    await anvil.stop();
  }
}

async function waitSettledGone(url: string) {
  for (;;) {
    if ((await compute(url, 'GET', '/v2.1/servers')).servers.length === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

await main();
