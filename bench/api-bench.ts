/**
 * API benchmark: starts `anvil server` (child process, temp SQLite data dir, free port), then measures
 *   a. create 1000 nodes (POST /v1/nodes, 8 concurrent clients)
 *   b. GET /v1/nodes/{uuid} cycling over the 1000 nodes (wrk)
 *   c. GET /v1/nodes?limit=1000 over 1000 nodes (wrk)
 *   d. GET /v1/nodes/detail?limit=100 (wrk)
 * and prints req/s, p50 and p99 as a table. Loopback only.
 * IRONIC=1: the same steps, right after, against a private Debian Ironic 21.4 (bench/real-ironic.ts; N_NODES_IRONIC
 *   nodes, default 200: it creates ~50 nodes/s) and a side-by-side table with the ratio and the load average.
 * Usage: node --import tsx bench/api-bench.ts   (env: N_NODES=1000 CONC=8 WRK_T=2 WRK_C=16 WRK_D=10s API_VERSION=1.46
 *   BENCH_STEPS=show,list,detail ANVIL_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" IRONIC=1 N_NODES_IRONIC=200)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRealIronic } from './real-ironic.ts';
import { createNodes, startServer, VERSION, WRK, wrkSteps, type Row } from './api-bench-lib.ts';

const N = Number(process.env.N_NODES ?? 1000);

/** Creates the nodes, then runs the wrk steps against one server. */
async function measure(url: string, dir: string, n: number): Promise<Row[]> {
  const created = await createNodes(url, n);
  return [created.row, ...(await wrkSteps(url, dir, created.uuids, String(n)))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-'));
  try {
    const server = await startServer(dir);
    let rows: Row[];
    try {
      rows = await measure(server.url, dir, N);
    } finally {
      await server.stop();
    }
    const w = Math.max(...rows.map((r) => r.step.length));
    console.log(`Anvil API bench: microversion ${VERSION}, wrk -t${WRK.t} -c${WRK.c} -d${WRK.d}, SQLite, one process, ${N} nodes`);
    console.log(`${'step'.padEnd(w)} | ${'req/s'.padStart(9)} | ${'p50 ms'.padStart(8)} | ${'p99 ms'.padStart(8)} | errors | load average`);
    console.log(`${'-'.repeat(w)}-|-${'-'.repeat(9)}-|-${'-'.repeat(8)}-|-${'-'.repeat(8)}-|--------|-------------`);
    for (const r of rows)
      console.log(`${r.step.padEnd(w)} | ${r.rps.toFixed(1).padStart(9)} | ${r.p50.toFixed(2).padStart(8)} | ${r.p99.toFixed(2).padStart(8)} | ${String(r.errors).padStart(6)} | ${r.load}`);
    if (process.env.IRONIC !== '1') return;
    const nIronic = Number(process.env.N_NODES_IRONIC ?? 200);
    const ironic = startRealIronic();
    let theirs: Row[];
    try {
      theirs = await measure(ironic.url, dir, nIronic);
    } finally {
      ironic.stop();
    }
    console.log(`\nside by side with Debian Ironic 21.4 (same machine, same wrk, right after; Ironic with ${nIronic} nodes):`);
    console.log('| step | Anvil req/s | Anvil p50 ms | Ironic req/s | Ironic p50 ms | ratio | load average (Anvil / Ironic) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [i, a] of rows.entries()) {
      const b = theirs[i];
      console.log(`| ${a.step.replace(/\d+ nodes/, 'N nodes')} | ${a.rps.toFixed(1)} | ${a.p50.toFixed(1)} | ${b.rps.toFixed(1)} | ${b.p50.toFixed(1)} | ${(a.rps / b.rps).toFixed(1)}× | ${a.load} / ${b.load} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
