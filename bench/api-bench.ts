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
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRealIronic } from './real-ironic.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const N = Number(process.env.N_NODES ?? 1000);
const CONC = Number(process.env.CONC ?? 8);
const WRK = { t: process.env.WRK_T ?? '2', c: process.env.WRK_C ?? '16', d: process.env.WRK_D ?? '10s' };
const VERSION = process.env.API_VERSION ?? '1.46';
/** Which wrk steps run after the create step (comma-separated; default all). */
const STEPS = new Set((process.env.BENCH_STEPS ?? 'show,list,detail').split(','));

interface Row {
  step: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  load: string;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function startServer(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  // ANVIL_NODE_ARGS: extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.ANVIL_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'cli/bin/anvil.js'), 'server', '--port', '0', '--data-dir', dir, '--set', 'inspector_api_enabled=false'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`anvil server exited ${c}`)));
  });
  await fetch(`${url}/v1/nodes`);
  return { url, stop: () => new Promise<void>((res) => { child.once('exit', () => res()); child.kill('SIGTERM'); }) };
}

async function createNodes(url: string, N: number): Promise<{ row: Row; uuids: string[] }> {
  const lat: number[] = [];
  const uuids: string[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < N) {
        const i = next++;
        const s = performance.now();
        const r = await fetch(`${url}/v1/nodes`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': VERSION },
          body: JSON.stringify({
            name: `bench-${i}`, driver: 'fake-hardware', resource_class: 'baremetal',
            properties: { cpus: 8, memory_mb: 16384, local_gb: 100, cpu_arch: 'x86_64' },
          }),
        });
        const body = (await r.json()) as { uuid?: string };
        lat.push(performance.now() - s);
        if (r.status !== 201 || !body.uuid) errors++;
        else uuids.push(body.uuid);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { row: { step: `create ${N} nodes (POST, ${CONC} clients)`, rps: N / secs, p50: pct(lat, 50), p99: pct(lat, 99), errors, load: load() }, uuids };
}

function parseWrk(text: string, step: string): Row {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    if (!m) return Number.NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  return { step, rps, p50: ms('50'), p99: ms('99'), errors: non2xx, load: load() };
}

async function wrk(step: string, url: string, extra: string[] = []): Promise<Row> {
  const { stdout } = await run('wrk', [`-t${WRK.t}`, `-c${WRK.c}`, `-d${WRK.d}`, '--latency', '--timeout', '30s',
    '-H', `X-OpenStack-Ironic-API-Version: ${VERSION}`, ...extra, url], { timeout: 300_000, maxBuffer: 1 << 20 });
  return parseWrk(stdout, step);
}

/** Creates the nodes, then runs the wrk steps against one server. */
async function measure(url: string, dir: string, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const created = await createNodes(url, n);
  rows.push(created.row);
  const uuidsFile = join(dir, `uuids-${n}.txt`);
  writeFileSync(uuidsFile, created.uuids.join('\n'));
  const lua = join(dir, 'rotate.lua');
  writeFileSync(lua, `local i = 0
local uuids = {}
for line in io.lines("${uuidsFile}") do uuids[#uuids + 1] = line end
function setup(thread) thread:set("off", i * 499); i = i + 1 end
function init(args) n = off or 0 end
function request() n = n + 1; return wrk.format("GET", "/v1/nodes/" .. uuids[(n % #uuids) + 1]) end
`);
  if (STEPS.has('show')) rows.push(await wrk('GET /v1/nodes/{uuid} (cycling)', url, ['-s', lua]));
  if (STEPS.has('list')) rows.push(await wrk(`GET /v1/nodes?limit=1000`, `${url}/v1/nodes?limit=1000`));
  if (STEPS.has('detail')) rows.push(await wrk('GET /v1/nodes/detail?limit=100', `${url}/v1/nodes/detail?limit=100`));
  return rows;
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
