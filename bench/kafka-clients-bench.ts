/**
 * Kafka client comparison for the RPC transport (issue #19 item 2): the same request/reply round trip with kafkajs
 * (what conductor/src/rpc/kafka.ts uses) and with @platformatic/kafka — a caller produces a request, a server's
 * consumer reads it and produces a reply, the caller's consumer reads the reply. One child process per client, so
 * each one's shutdown is judged alone: after close() the process must exit by itself (no leaked handle) within 5 s.
 * Sequential calls give latency (p50/p99), `--concurrency` calls in flight give throughput. Loopback only.
 *
 *   bash bench/kafka-clients.sh [--calls 1000] [--concurrency 32] [--clients kafkajs,kafkajs-unpatched,platformatic]
 * (installs @platformatic/kafka into .tmp/kafka-clients, not into the project; needs ANVIL_TEST_KAFKA_BROKERS)
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    clients: { type: 'string', default: 'kafkajs,kafkajs-unpatched,platformatic' }, // kafkajs = with conductor/src/rpc/kafka-patch.ts
    child: { type: 'string' },
    brokers: { type: 'string', default: process.env.ANVIL_TEST_KAFKA_BROKERS ?? '' },
  },
});
const brokers = opt.brokers.split(',').filter(Boolean);
const CALLS = Number(opt.calls);
const CONC = Number(opt.concurrency);

/** What each client must offer: send a message, consume a topic into a callback, close everything. */
interface Client {
  createTopics(topics: string[]): Promise<void>;
  send(topic: string, value: string): Promise<void>;
  consume(topic: string, group: string, onMessage: (value: string) => void): Promise<void>;
  close(): Promise<void>;
}

async function kafkajsClient(patched: boolean): Promise<Client> {
  if (patched) await import('../conductor/src/rpc/kafka-patch.ts'); // as the transport runs it
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'cmp-kafkajs', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const consumers: { disconnect(): Promise<void> }[] = [];
  return {
    async createTopics(topics) {
      await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    },
    async send(topic, value) {
      await producer.send({ topic, messages: [{ value }], acks: -1 });
    },
    async consume(topic, group, onMessage) {
      const c = kafka.consumer({ groupId: group, maxWaitTimeInMs: 20, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
      consumers.push(c);
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      let joined!: () => void;
      const join = new Promise<void>((r) => (joined = r));
      c.on(c.events.GROUP_JOIN, () => joined());
      await c.run({ eachMessage: async ({ message }) => onMessage(String(message.value)) });
      await join;
    },
    async close() {
      await Promise.all(consumers.map((c) => c.disconnect()));
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}

async function platformaticClient(): Promise<Client> {
  const dir = new URL('../.tmp/kafka-clients/node_modules/@platformatic/kafka/dist/index.js', import.meta.url).href;
  const { Producer, Consumer, Admin, stringSerializers, stringDeserializers } = await import(dir);
  const producer = new Producer({ clientId: 'cmp-platformatic', bootstrapBrokers: brokers, serializers: stringSerializers, acks: -1 });
  const admin = new Admin({ clientId: 'cmp-platformatic-admin', bootstrapBrokers: brokers });
  const consumers: { close(force?: boolean): Promise<void> }[] = [];
  return {
    async createTopics(topics) {
      await admin.createTopics({ topics, partitions: 1, replicas: 1 });
    },
    async send(topic, value) {
      await producer.send({ messages: [{ topic, value }] });
    },
    async consume(topic, group, onMessage) {
      const c = new Consumer({ groupId: group, clientId: `cmp-${group}`, bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 20, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
      consumers.push(c);
      const stream = await c.consume({ topics: [topic], mode: 'earliest', autocommit: true });
      stream.on('data', (m: { value: string }) => onMessage(m.value));
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close(true)));
      await Promise.all([producer.close(), admin.close()]);
    },
  };
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];

async function child(name: string): Promise<void> {
  const t0 = performance.now();
  const client = name === 'platformatic' ? await platformaticClient() : await kafkajsClient(name === 'kafkajs');
  const tag = `${name}-${process.pid}-${Date.now()}`;
  const req = `cmp.req.${tag}`;
  const rep = `cmp.rep.${tag}`;
  await client.createTopics([req, rep]);
  const waiting = new Map<string, () => void>();
  await client.consume(req, `cmp.srv.${tag}`, (v) => void client.send(rep, v));
  await client.consume(rep, `cmp.cli.${tag}`, (v) => waiting.get(v)?.());
  const ready = performance.now() - t0;
  let n = 0;
  const call = () =>
    new Promise<number>((resolve) => {
      const id = `m${n++}`;
      const s = performance.now();
      waiting.set(id, () => {
        waiting.delete(id);
        resolve(performance.now() - s);
      });
      void client.send(req, id);
    });
  for (let i = 0; i < 20; i++) await call(); // warm up
  const seq: number[] = [];
  for (let i = 0; i < CALLS; i++) seq.push(await call());
  const par: number[] = [];
  const tp = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next++ < CALLS) par.push(await call());
    }),
  );
  const perSec = CALLS / ((performance.now() - tp) / 1000);
  seq.sort((a, b) => a - b);
  par.sort((a, b) => a - b);
  // idle cost: CPU used over 3 s with the consumers running and nothing to do
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 3_000));
  const cpu = process.cpuUsage(cpu0);
  const idleCpu = ((cpu.user + cpu.system) / 1000 / 3_000) * 100;
  const tc = performance.now();
  await client.close();
  const closeMs = performance.now() - tc;
  const handles = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
  console.log(JSON.stringify({ name, ready, seqP50: pct(seq, 50), seqP99: pct(seq, 99), perSec, parP50: pct(par, 50), parP99: pct(par, 99), closeMs, handles, idleCpu }));
}

async function main(): Promise<void> {
  if (!brokers.length) throw new Error('needs ANVIL_TEST_KAFKA_BROKERS (bash scripts/services/kafka.sh start; env)');
  const rows: string[] = [];
  for (const name of opt.clients.split(',')) {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', name, '--calls', String(CALLS), '--concurrency', String(CONC), '--brokers', brokers.join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    let reported = 0;
    proc.stdout.on('data', () => (reported ||= performance.now()));
    const killer = setTimeout(() => proc.kill('SIGKILL'), 600_000);
    const code = await new Promise<number | null>((r) => proc.once('exit', r));
    clearTimeout(killer);
    const exitAfterClose = reported ? performance.now() - reported : Number.NaN;
    const r = JSON.parse(out.trim().split('\n').pop() || '{}');
    rows.push(
      `| ${name} | ${r.ready?.toFixed(0)} | ${r.seqP50?.toFixed(2)} | ${r.seqP99?.toFixed(2)} | ${r.perSec?.toFixed(0)} | ${r.parP50?.toFixed(1)} | ${r.parP99?.toFixed(1)} | ${r.idleCpu?.toFixed(1)} | ${r.closeMs?.toFixed(0)} | ${code === 0 ? `exited by itself ${exitAfterClose.toFixed(0)} ms after close` : `exit ${code}`}; handles after close: ${(r.handles ?? []).join(' ') || 'none'} | ${loadavg().map((l) => l.toFixed(1)).join(' ')} |`,
    );
    void started;
  }
  console.log(`\nKafka clients, request/reply round trip (${CALLS} sequential calls, then ${CALLS} with ${CONC} in flight), acks=all, maxWait 20 ms:\n`);
  console.log('| client | connect+join ms | seq p50 ms | seq p99 ms | calls/s (×' + CONC + ') | ×' + CONC + ' p50 ms | ×' + CONC + ' p99 ms | idle CPU % | close ms | shutdown | load average |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

if (opt.child) {
  await child(opt.child);
  // no process.exit: the parent checks that the process ends by itself once everything is closed
} else {
  await main();
}
