/**
 * Conductor benchmark: N fake-hardware nodes through manage → provide → active → deleted via the Ironic HTTP API.
 *   (a) local: one process — API + conductor, in-process RPC, SQLite (what `npm start` runs)
 *   (b) kafka: API (in this process) + 3 `anvil conductor` processes over Kafka, MariaDB
 *   (c) ironic: the same cycle against any Ironic endpoint (--ironic-url URL), or against a private Debian Ironic 21.4
 *       started and stopped here with scripts/services/real-ironic.sh (--real-ironic N: N nodes, it is slow)
 * Prints one table: total seconds, nodes/s, conductor call p50/p99 and bare RPC round trips (ping).
 *   conductor call: one API → conductor RPC (do_provision_action) from send to reply, i.e. the transport both ways
 *     plus the conductor's handler (node lock, DB reads and writes, FSM save) — not the HTTP request around it.
 *   ping: the same transport round trip to a conductor whose handler does nothing (sequential, idle system).
 *
 *   node --import tsx bench/conductor-bench.ts [--nodes 1000] [--concurrency 50] [--mode local,kafka] [--ironic-url URL]
 * Mode kafka needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh start; env).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { openDatabase } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';
import { startApi } from '@anvil/api';
import { connectConductors, createLogger, createTransport, type RpcStats, type RpcStepStats, STEP_NAMES, startConductor } from '@anvil/conductor';
import { ironicClient, pool, startCluster } from '../test/conductor/cluster.ts';
import { type ScrapeSummary, scrapeDuring } from './metrics-scrape.ts';
import { startRealIronic } from './real-ironic.ts';

const { values: opt } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    mode: { type: 'string', default: 'local,kafka' },
    'ironic-url': { type: 'string' },
    'real-ironic': { type: 'string' },
    pings: { type: 'string', default: '1000' },
  },
});
let N = Number(opt.nodes);
process.env.ANVIL_LOG_LEVEL ??= 'warn'; // no access-log line per request while measuring
const CONC = Number(opt.concurrency);

interface Row {
  mode: string;
  nodes: number;
  seconds: number;
  phases: Record<string, number>;
  rpc?: RpcStats;
  ping?: { p50: number; p99: number };
  steps?: Record<string, [number, number]>;
  metrics?: ScrapeSummary;
}

type Call = ReturnType<typeof ironicClient>;

async function verb(call: Call, uuid: string, target: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target });
    if (r.status === 202) return;
    if ((r.status === 409 || r.status === 503) && attempt < 100) {
      await new Promise((res) => setTimeout(res, 100));
      continue;
    }
    throw new Error(`${target} on ${uuid}: HTTP ${r.status} ${r.error}`);
  }
}

/** Poll the API's node list until every node of ours is settled in `state`. */
async function waitState(call: Call, uuids: Set<string>, state: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let done = 0;
    let marker = '';
    for (;;) {
      // only the nodes already in the wanted state come back, so early polls are cheap for the API under test
      const r = await call('GET', `/v1/nodes?provision_state=${encodeURIComponent(state)}&fields=uuid,provision_state,target_provision_state&limit=1000${marker ? `&marker=${marker}` : ''}`);
      if (r.status !== 200) throw new Error(`node list: HTTP ${r.status} ${r.error}`);
      for (const n of r.body.nodes) if (uuids.has(n.uuid) && n.provision_state === state && !n.target_provision_state) done++;
      if (r.body.nodes.length < 1000) break;
      marker = r.body.nodes[r.body.nodes.length - 1].uuid;
    }
    if (done === uuids.size) return;
    if (Date.now() > deadline) throw new Error(`only ${done}/${uuids.size} nodes reached ${state}`);
    await new Promise((res) => setTimeout(res, 400));
  }
}

async function cycle(mode: string, apiUrl: string, group: string | null, version: string): Promise<Row> {
  const call = ironicClient(apiUrl, version);
  const tag = Math.random().toString(36).slice(2, 8);
  const uuids = await pool([...Array(N).keys()], CONC, async (i) => {
    const body: Record<string, unknown> = { driver: 'fake-hardware', name: `bench-${tag}-${i}` };
    if (group) body.conductor_group = group;
    const r = await call('POST', '/v1/nodes', body);
    if (r.status !== 201) throw new Error(`create: HTTP ${r.status} ${r.error}`);
    return r.body.uuid as string;
  });
  const set = new Set(uuids);
  const phases: Record<string, number> = {};
  const started = performance.now();
  for (const [target, state] of [['manage', 'manageable'], ['provide', 'available'], ['active', 'active'], ['deleted', 'available']]) {
    const t0 = performance.now();
    await pool(uuids, CONC, (u) => verb(call, u, target));
    await waitState(call, set, state, 600_000);
    phases[target] = (performance.now() - t0) / 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  await pool(uuids, CONC, async (u) => {
    await call('DELETE', `/v1/nodes/${u}`);
  });
  return { mode, nodes: N, seconds, phases };
}

function baseSettings(over: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, enabled_hardware_types: ['fake-hardware'], port: 0, ...over } as Settings;
}

async function pings(rpcapi: { ping(h: string): Promise<unknown>; stats: RpcStats }, host: string): Promise<{ p50: number; p99: number }> {
  const before = rpcapi.stats.samples.length;
  for (let i = 0; i < Number(opt.pings); i++) await rpcapi.ping(host);
  const s = rpcapi.stats.samples.splice(before).sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p99: s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] };
}

async function runLocal(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-'));
  const settings = baseSettings({ data_dir: dir, hostname: 'bench-local' });
  const log = createLogger({}, 'warn');
  const db = await openDatabase(settings);
  const registry = await createRegistry(settings, { warn: () => {} });
  const transport = await createTransport(settings, log);
  const running = await startConductor({ settings, db, registry, transport, log });
  const client = await connectConductors({ settings, db, transport });
  const api = await startApi({ settings, db, registry, conductor: client.rpcapi, maxMinor: 82 });
  try {
    const { result: row, metrics } = await scrapeDuring(api.url, () => cycle('local (1 process, SQLite)', api.url, null, '1.46'));
    row.metrics = metrics;
    row.rpc = client.rpcapi.stats;
    row.ping = await pings(client.rpcapi, settings.hostname);
    return row;
  } finally {
    await api.close();
    await running.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runKafka(): Promise<Row> {
  const mysql = process.env.ANVIL_TEST_MYSQL_URL;
  const brokers = process.env.ANVIL_TEST_KAFKA_BROKERS;
  if (!mysql || !brokers) throw new Error('mode kafka needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS');
  const created = await createMysqlDatabase(mysql);
  const cluster = await startCluster({ databaseUrl: created.url, brokers, conductors: 3, api: false });
  const settings = baseSettings({
    database_url: created.url,
    rpc_transport: 'kafka',
    kafka_brokers: brokers.split(','),
    hostname: `bench-api-${cluster.group}`,
    conductor_group: cluster.group,
  });
  const db = await openDatabase(settings);
  const registry = await createRegistry(settings, { warn: () => {} });
  const client = await connectConductors({ settings, db });
  const api = await startApi({ settings, db, registry, conductor: client.rpcapi, maxMinor: 82 });
  try {
    const steps = (client.transport as { steps?: RpcStepStats }).steps;
    steps?.reset();
    const { result: row, metrics } = await scrapeDuring(api.url, () => cycle('kafka (API + 3 conductors, MariaDB)', api.url, cluster.group, '1.46'));
    row.metrics = metrics;
    row.rpc = client.rpcapi.stats;
    if (steps) row.steps = Object.fromEntries(STEP_NAMES.map((k) => [k, [steps.percentile(k, 50), steps.percentile(k, 99)]]));
    row.ping = await pings(client.rpcapi, cluster.hostnames[0]);
    return row;
  } finally {
    await api.close();
    await client.close();
    await cluster.stop();
    await db.close();
    await created.drop();
  }
}

/** A private Debian Ironic 21.4 (own ANVIL_TMP so it never touches another suite's instance). */
async function runRealIronic(n: number): Promise<Row> {
  const ironic = startRealIronic();
  const saved = N;
  N = n;
  try {
    return await cycle('Debian Ironic 21.4 (1 process, SQLite)', ironic.url, null, '1.46');
  } finally {
    N = saved;
    ironic.stop();
  }
}

const fmt = (v: number | undefined, d = 1) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));

const rows: Row[] = [];
for (const mode of String(opt.mode).split(',').filter(Boolean)) {
  if (mode === 'local') rows.push(await runLocal());
  else if (mode === 'kafka') rows.push(await runKafka());
  else throw new Error(`unknown mode ${mode}`);
}
if (opt['ironic-url']) rows.push(await cycle(`ironic at ${opt['ironic-url']}`, opt['ironic-url'], null, '1.46'));
if (opt['real-ironic']) rows.push(await runRealIronic(Number(opt['real-ironic'])));

console.log(`\nconductor benchmark: ${N} fake nodes, manage → provide → active → deleted, ${CONC} concurrent API clients`);
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
console.log('conductor call = one do_provision_action RPC, send to reply (transport + conductor handler incl. DB); ping = bare RPC round trip\n');
console.log('| mode | nodes | total s | nodes/s | manage s | provide s | active s | deleted s | conductor call p50 ms | conductor call p99 ms | ping p50 ms | ping p99 ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.mode} | ${r.nodes} | ${fmt(r.seconds)} | ${fmt(r.nodes / r.seconds)} | ${fmt(r.phases.manage)} | ${fmt(r.phases.provide)} | ${fmt(r.phases.active)} | ${fmt(r.phases.deleted)} | ${fmt(r.rpc?.percentile(50), 2)} | ${fmt(r.rpc?.percentile(99), 2)} | ${fmt(r.ping?.p50, 2)} | ${fmt(r.ping?.p99, 2)} |`,
  );
}
for (const r of rows.filter((x) => x.steps)) {
  console.log(`\nwhere a conductor call's time goes, ${r.mode} (ms; produce = until the broker acked the request, deliver = ack → conductor read it, handler = lock + DB + FSM, reply = handler done → reply read):\n`);
  console.log(`| step | ${STEP_NAMES.join(' | ')} |`);
  console.log(`|---|${STEP_NAMES.map(() => '---').join('|')}|`);
  console.log(`| p50 | ${STEP_NAMES.map((k) => fmt(r.steps![k][0], 2)).join(' | ')} |`);
  console.log(`| p99 | ${STEP_NAMES.map((k) => fmt(r.steps![k][1], 2)).join(' | ')} |`);
}
for (const r of rows.filter((x) => x.metrics)) {
  console.log(`\n/metrics scraped every second during ${r.mode} (${r.metrics!.scrapes} scrapes; API process):\n`);
  console.log('| series | value |');
  console.log('|---|---|');
  for (const [k, v] of r.metrics!.rows) console.log(`| ${k} | ${v} |`);
}
process.exit(0);
