/**
 * RPC benchmark: bare call round trips over Kafka against the in-process transport.
 *   local        LocalTransport (conductor/src/rpc/local.ts): the embedded default, the floor
 *   kafka        KafkaTransport, caller and server in this process
 *   kafka-2proc  KafkaTransport, the server in a child process (as API and conductor run in production)
 * Each mode runs `--calls` sequential calls (latency: p50/p99) then the same number with `--concurrency` calls in
 * flight (throughput, latency under load). Targets for Kafka: p50 < 5 ms, p99 < 20 ms (sequential).
 *
 *   node --import tsx bench/rpc-bench.ts [--calls 2000] [--concurrency 32] [--mode local,kafka,kafka-2proc]
 * Kafka modes need ANVIL_TEST_KAFKA_BROKERS (bash scripts/services/kafka.sh start; eval "$(bash scripts/services/kafka.sh env)").
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type RpcHandler, type RpcTransport, topicForHost } from '@anvil/sdk';
import { LocalTransport } from '../conductor/src/rpc/local.ts';
import { KafkaTransport } from '../conductor/src/rpc/kafka.ts';

const { values: opt } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    mode: { type: 'string', default: 'local,kafka,kafka-2proc' },
    'max-wait': { type: 'string', default: '' }, // consumer maxWaitTimeInMs (transport default when empty)
    brokers: { type: 'string', default: process.env.ANVIL_TEST_KAFKA_BROKERS ?? '' },
    'serve-topic': { type: 'string' }, // internal: run as the child server of kafka-2proc
  },
});
const brokers = opt.brokers.split(',').filter(Boolean);
const quiet = () => {};
const maxWaitTimeInMs = opt['max-wait'] ? Number(opt['max-wait']) : undefined;

/** A conductor-like handler: small JSON in, small JSON out. */
const handler: RpcHandler = async (method, args) => ({ method, node_id: args.node_id, ok: true });

if (opt['serve-topic']) {
  const server = new KafkaTransport({ brokers, clientId: 'rpc-bench-server', log: quiet, maxWaitTimeInMs });
  await server.serve(opt['serve-topic'], handler);
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}

interface Result {
  mode: string;
  phase: string;
  calls: number;
  inFlight: number;
  p50: number;
  p99: number;
  max: number;
  perSec: number;
}

async function measure(mode: string, t: RpcTransport, topic: string, calls: number, inFlight: number): Promise<Result> {
  const lat: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const t0 = performance.now();
      await t.call(topic, 'get_node', { node_id: `node-${i}` }, 30_000);
      lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))];
  return {
    mode,
    phase: inFlight === 1 ? 'sequential' : 'concurrent',
    calls,
    inFlight,
    p50: q(0.5),
    p99: q(0.99),
    max: lat[lat.length - 1],
    perSec: calls / seconds,
  };
}

async function runMode(mode: string, calls: number, conc: number): Promise<Result[]> {
  const topic = topicForHost(`rpc-bench-${randomUUID().slice(0, 8)}`);
  const closers: Array<() => Promise<void>> = [];
  let client: RpcTransport;
  if (mode === 'local') {
    const local = new LocalTransport();
    await local.serve(topic, handler);
    client = local;
    closers.push(() => local.close());
  } else {
    if (brokers.length === 0) throw new Error(`mode ${mode} needs ANVIL_TEST_KAFKA_BROKERS or --brokers`);
    if (mode === 'kafka') {
      const server = new KafkaTransport({ brokers, clientId: 'rpc-bench-server', log: quiet, maxWaitTimeInMs });
      await server.serve(topic, handler);
      closers.push(() => server.close());
    } else if (mode === 'kafka-2proc') {
      const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--serve-topic', topic, '--brokers', brokers.join(','), '--max-wait', opt['max-wait']], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! });
      await new Promise<void>((resolve, reject) => {
        lines.once('line', () => resolve());
        child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
      });
      closers.push(async () => {
        const exited = new Promise((r) => child.once('exit', r));
        child.stdin!.end();
        await exited;
      });
    } else {
      throw new Error(`unknown mode ${mode} (local, kafka, kafka-2proc)`);
    }
    const kafka = new KafkaTransport({ brokers, clientId: 'rpc-bench-client', log: quiet, maxWaitTimeInMs });
    closers.unshift(() => kafka.close());
    client = kafka;
  }
  try {
    await measure(mode, client, topic, Math.min(200, calls), 4); // warm up: connections, JIT, group joins
    return [await measure(mode, client, topic, calls, 1), await measure(mode, client, topic, calls, conc)];
  } finally {
    for (const close of closers) await close();
  }
}

async function main(): Promise<void> {
  const calls = Number(opt.calls);
  const conc = Number(opt.concurrency);
  const rows: Result[] = [];
  for (const mode of opt.mode.split(',').filter(Boolean)) {
    process.stderr.write(`rpc-bench: ${mode} ...\n`);
    rows.push(...(await runMode(mode, calls, conc)));
  }
  const ms = (v: number) => v.toFixed(2);
  const table = [
    ['mode', 'phase', 'calls', 'in flight', 'p50 ms', 'p99 ms', 'max ms', 'calls/s'],
    ...rows.map((r) => [r.mode, r.phase, String(r.calls), String(r.inFlight), ms(r.p50), ms(r.p99), ms(r.max), r.perSec.toFixed(0)]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(table[0]));
  console.log(`|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
  const kafka = rows.filter((r) => r.mode !== 'local' && r.inFlight === 1);
  for (const r of kafka) {
    const ok = r.p50 < 5 && r.p99 < 20;
    console.log(`${r.mode}: p50 ${ms(r.p50)} ms (target < 5), p99 ${ms(r.p99)} ms (target < 20): ${ok ? 'met' : 'NOT met'}`);
  }
}
