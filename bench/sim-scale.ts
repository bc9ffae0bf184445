/**
 * The simulated fleet at scale (issue #19 item 7): N `ipmi` nodes whose BMCs are in-process virtual BMCs (the
 * BmcFarm `anvil sim --bmc ipmi` uses: real IPMI v2.0 over UDP on 127.0.0.1, boot/deploy `fake` as with
 * `--deploy-interface fake`), 1 `anvil api` + 3 `anvil conductor` processes over Kafka and MariaDB. Phases: enrol
 * (node + port), manage (verify reads power over IPMI), provide (automated cleaning), deploy, undeploy (cleaning
 * again), and a power sync sweep: every BMC's power flipped behind Anvil's back, timed until every node shows it
 * (force_power_state_during_sync=false). Per phase: wall time, CPU seconds and peak RSS per process (this process
 * holds the BMCs), MariaDB statements per node (`Questions`), load average.
 *
 *   export $(bash scripts/services/mariadb.sh env) $(bash scripts/services/kafka.sh env)
 *   node --import tsx bench/sim-scale.ts [--nodes 1000] [--concurrency 32] [--sync-interval 60]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BmcFarm } from '@anvil/agent-sim';
import { openDatabase } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { ironicClient, pool, startCluster } from '../test/conductor/cluster.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'sync-interval': { type: 'string', default: '60' },
    'phase-timeout': { type: 'string', default: '3600' },
  },
});
const N = Number(values.nodes);
const C = Number(values.concurrency);
const mysqlUrl = process.env.ANVIL_TEST_MYSQL_URL;
const brokers = process.env.ANVIL_TEST_KAFKA_BROKERS;
if (!mysqlUrl || !brokers) {
  console.error('needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh start, then export their env)');
  process.exit(2);
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`sim-scale: ${N} ipmi nodes (virtual BMCs), 3 conductors over Kafka + MariaDB; load average ${load()} at ${new Date().toISOString()}`);

/** utime+stime seconds and RSS MiB of a pid (Linux /proc). */
function procStat(pid: number): { cpu: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  return { cpu: (Number(f[11]) + Number(f[12])) / 100, rssMiB: Number(rss) / 1024 };
}

const created = await createMysqlDatabase(mysqlUrl);
const db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
const questions = async () => Number(((await db.knex.raw("SHOW GLOBAL STATUS LIKE 'Questions'")) as any)[0][0].Value);
const farm = await BmcFarm.start({ count: N });
const cluster = await startCluster({
  databaseUrl: created.url,
  brokers,
  conductors: 3,
  settings: {
    enabled_hardware_types: 'ipmi',
    sync_power_state_interval: Number(values['sync-interval']),
    force_power_state_during_sync: false,
    ipmi_attempt_timeout: 2,
    workers_pool_size: 200,
  },
});
const call = ironicClient(cluster.apiUrl, '1.60');
const procs = () => [['bench+BMCs', process.pid] as const, ...[...cluster.procs.values()].map((p) => [p.name.replace(/^cond-\w+-/, 'conductor-'), p.child.pid as number] as const)];
const rows: string[] = [];
const uuids: string[] = [];

async function phase(name: string, work: () => Promise<void>, done: () => Promise<boolean>): Promise<void> {
  const before = new Map(procs().map(([n, pid]) => [n, procStat(pid)]));
  const peak = new Map<string, number>();
  const sample = () => {
    for (const [n, pid] of procs()) peak.set(n, Math.max(peak.get(n) ?? 0, procStat(pid).rssMiB));
  };
  const sampler = setInterval(sample, 500);
  const q0 = await questions();
  const t0 = Date.now();
  await work();
  const deadline = t0 + Number(values['phase-timeout']) * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${name}: not done after ${values['phase-timeout']} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const wall = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  sample();
  const stmts = (await questions()) - q0;
  const per = procs().map(([n, pid]) => `${n} ${(procStat(pid).cpu - (before.get(n)?.cpu ?? 0)).toFixed(1)} s / ${(peak.get(n) ?? 0).toFixed(0)} MiB`);
  const row = `| ${name} | ${wall.toFixed(1)} | ${(N / wall).toFixed(0)} | ${per.join('; ')} | ${(stmts / N).toFixed(1)} | ${load()} |`;
  rows.push(row);
  console.log(row);
}

const countIn = async (state: string) => (await db.nodes.list({ filters: { provision_state: state, conductor_group: cluster.group }, limit: 1_000_000 })).length;
const failed = async () => {
  // a failed verify leaves the node in enroll with last_error (as Ironic)
  const bad = (await db.nodes.list({ filters: { conductor_group: cluster.group }, limit: 1_000_000 })).filter(
    (n) => /failed|error/.test(n.provision_state) || (n.provision_state === 'enroll' && n.last_error),
  );
  if (bad.length) throw new Error(`${bad.length} nodes failed, e.g. ${bad[0].provision_state}: ${bad[0].last_error}`);
  return false;
};
const verbAll = (target: string) =>
  pool(uuids, C, async (u) => {
    for (let i = 0; i < 60; i++) {
      const r = await call('PUT', `/v1/nodes/${u}/states/provision`, { target }).catch(() => ({ status: 0, error: 'no answer' }));
      if (r.status === 202) return;
      if (r.status !== 409 && r.status !== 503 && r.status !== 0) throw new Error(`${target} ${u}: HTTP ${r.status} ${r.error}`);
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error(`${target} ${u}: still refused`);
  }).then(() => undefined);

let code = 0;
const stop = async () => {
  await cluster.stop();
  await farm.stop();
  await db.close();
  await created.drop();
};
// interrupted: stop the processes this bench started, then exit
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop().finally(() => process.exit(130)));
try {
  console.log('| phase | wall s | nodes/s | CPU s / peak RSS per process | DB statements per node | load average (1/5/15 min) |');
  console.log('|---|---|---|---|---|---|');
  await phase(
    'enrol (node + port)',
    () =>
      pool(farm.bmcs, C, async (b) => {
        const r = await call('POST', '/v1/nodes', {
          name: `scale-${b.index}`,
          driver: 'ipmi',
          conductor_group: cluster.group,
          boot_interface: 'fake',
          deploy_interface: 'fake',
          driver_info: { ipmi_address: b.host, ipmi_port: b.port, ipmi_username: b.username, ipmi_password: b.password, ipmi_cipher_suite: 3 },
        });
        if (r.status !== 201) throw new Error(`enrol: HTTP ${r.status} ${r.error}`);
        uuids.push(r.body.uuid);
        const mac = `52:54:01:${((b.index >> 16) & 0xff).toString(16).padStart(2, '0')}:${((b.index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(b.index & 0xff).toString(16).padStart(2, '0')}`;
        const p = await call('POST', '/v1/ports', { node_uuid: r.body.uuid, address: mac });
        if (p.status !== 201) throw new Error(`port: HTTP ${p.status} ${p.error}`);
      }).then(() => undefined),
    async () => true,
  );
  await phase('manage (power read over IPMI)', () => verbAll('manage'), async () => (await failed()) || (await countIn('manageable')) === N);
  await phase('provide (automated cleaning)', () => verbAll('provide'), async () => (await failed()) || (await countIn('available')) === N);
  await phase('deploy', () => verbAll('active'), async () => (await failed()) || (await countIn('active')) === N);
  await phase('undeploy (cleaning)', () => verbAll('deleted'), async () => (await failed()) || (await countIn('available')) === N);
  await phase(
    `power sync sweep (interval ${values['sync-interval']} s)`,
    async () => {
      for (const b of farm.bmcs) b.bmc.setPower('on');
    },
    async () => (await db.nodes.list({ filters: { conductor_group: cluster.group, power_state: 'power on' }, limit: 1_000_000 })).length === N,
  );
  const bmcMiB = procStat(process.pid).rssMiB;
  console.log(`BMCs: ${N} in this process (RSS ${bmcMiB.toFixed(0)} MiB with the bench's own client and database handle); ${farm.dropped} datagrams dropped`);
} catch (err) {
  console.error(String(err));
  code = 1;
} finally {
  console.log(`load average at the end ${load()}`);
  await stop();
}
process.exit(code);
