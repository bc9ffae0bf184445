/**
 * What the API benches share (api-bench.ts, api-side-by-side.ts): `anvil server` of a checkout, the create step,
 * wrk runs and their parsing. Env: CONC WRK_T WRK_C WRK_D API_VERSION BENCH_STEPS ANVIL_NODE_ARGS.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
export const CONC = Number(process.env.CONC ?? 8);
export const WRK = { t: process.env.WRK_T ?? '2', c: process.env.WRK_C ?? '16', d: process.env.WRK_D ?? '10s' };
export const VERSION = process.env.API_VERSION ?? '1.46';
/** Which wrk steps run after the create step (comma-separated; default all). */
export const STEPS = new Set((process.env.BENCH_STEPS ?? 'show,list,detail').split(','));

export interface Row {
  step: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  load: string;
}

export const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Without the Inspector-compatible API and the compute API: no fixed port (5050, 8774) shared between servers. */
const SERVER_SETS = ['--set', 'inspector_api_enabled=false', '--set', 'compute_enabled=false'];

/** `anvil server` of the checkout at `root` (default this one) on a free port with its data in `dir`. */
export async function startServer(dir: string, root = ROOT): Promise<{ url: string; stop(): Promise<void> }> {
  // ANVIL_NODE_ARGS: extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.ANVIL_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'cli/bin/anvil.js'), 'server', '--port', '0', '--data-dir', dir, ...SERVER_SETS], {
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

export async function createNodes(url: string, N: number): Promise<{ row: Row; uuids: string[] }> {
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

export async function wrk(step: string, url: string, extra: string[] = []): Promise<Row> {
  const { stdout } = await run('wrk', [`-t${WRK.t}`, `-c${WRK.c}`, `-d${WRK.d}`, '--latency', '--timeout', '30s',
    '-H', `X-OpenStack-Ironic-API-Version: ${VERSION}`, ...extra, url], { timeout: 300_000, maxBuffer: 1 << 20 });
  return parseWrk(stdout, step);
}

/** The wrk script cycling GET /v1/nodes/{uuid} over `uuids` (written under dir). */
export function rotateScript(dir: string, uuids: string[], tag: string): string {
  const uuidsFile = join(dir, `uuids-${tag}.txt`);
  writeFileSync(uuidsFile, uuids.join('\n'));
  const lua = join(dir, `rotate-${tag}.lua`);
  writeFileSync(lua, `local i = 0
local uuids = {}
for line in io.lines("${uuidsFile}") do uuids[#uuids + 1] = line end
function setup(thread) thread:set("off", i * 499); i = i + 1 end
function init(args) n = off or 0 end
function request() n = n + 1; return wrk.format("GET", "/v1/nodes/" .. uuids[(n % #uuids) + 1]) end
`);
  return lua;
}

/** The wrk steps (BENCH_STEPS) against one server whose nodes are `uuids`. */
export async function wrkSteps(url: string, dir: string, uuids: string[], tag: string, only?: string): Promise<Row[]> {
  const rows: Row[] = [];
  const lua = rotateScript(dir, uuids, tag);
  const want = (s: string) => STEPS.has(s) && (only === undefined || only === s);
  if (want('show')) rows.push(await wrk('GET /v1/nodes/{uuid} (cycling)', url, ['-s', lua]));
  if (want('list')) rows.push(await wrk(`GET /v1/nodes?limit=1000`, `${url}/v1/nodes?limit=1000`));
  if (want('detail')) rows.push(await wrk('GET /v1/nodes/detail?limit=100', `${url}/v1/nodes/detail?limit=100`));
  return rows;
}

