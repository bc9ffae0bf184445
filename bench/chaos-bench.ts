/**
 * The long chaos run (issue #19 item 8; the short one is test/conductor/chaos.test.ts in `npm test`): 1 API + 3
 * conductors over a private Kafka broker and MariaDB behind a TCP proxy, --nodes fake-hardware nodes, --rounds
 * rounds of: a conductor SIGKILLed mid-deploy (a different one each round), the broker restarted mid-undeploy,
 * the API SIGKILLed mid-allocation, every database connection cut for --db-cut seconds mid-deploy; then 20% of the
 * BMCs of --bmcs ipmi nodes (virtual BMCs, real IPMI over UDP) gone for --bmc-gone seconds while the others deploy
 * (test/conductor/chaos-bmc.ts). Prints the per-phase counts (stuck past deadline, locks by dead hosts, lost
 * requests; for the BMC phase also nodes put in maintenance and incidents left open), wall time and load average.
 *
 *   export $(bash scripts/services/mariadb.sh env) $(bash scripts/services/kafka.sh env)
 *   node --import tsx bench/chaos-bench.ts [--nodes 60] [--rounds 3] [--db-cut 10] [--bmcs 50] [--bmc-gone 120]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ChaosWorld, runChaos, summary } from '../test/conductor/chaos.ts';
import { BMC_CHAOS_SETTINGS, ChaosBmcs, bmcLine } from '../test/conductor/chaos-bmc.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    'db-cut': { type: 'string', default: '10' },
    conductors: { type: 'string', default: '3' },
    bmcs: { type: 'string', default: '50' },
    'bmc-gone': { type: 'string', default: '120' },
  },
});
const mysqlUrl = process.env.ANVIL_TEST_MYSQL_URL;
if (!mysqlUrl || !process.env.ANVIL_TEST_KAFKA_BROKERS) {
  console.error('needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh start, then export their env)');
  process.exit(2);
}
const nodes = Number(values.nodes);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const started = Date.now();
console.log(`chaos bench: ${nodes} nodes, ${values.rounds} rounds, ${values.conductors} conductors; load average ${load()} at ${new Date().toISOString()}`);
const w = await ChaosWorld.start({ mysqlUrl, conductors: Number(values.conductors), instance: `chaos-bench-${process.pid}`, settings: BMC_CHAOS_SETTINGS });
let code = 0;
let bmcs: ChaosBmcs | undefined;
try {
  const uuids = await w.availableNodes(nodes, w.cluster.group);
  bmcs = await ChaosBmcs.start(w, Number(values.bmcs));
  console.log(`world up in ${Date.now() - started} ms`);
  const outcomes = await runChaos(w, uuids, {
    rounds: Number(values.rounds),
    dbCutMs: Number(values['db-cut']) * 1000,
    allocations: Math.max(4, Math.floor(nodes / 4)),
    settleMs: 120_000,
    log: (l) => console.log(`  ${l}`),
    onPhase: (o) => console.log(`    stuck past deadline ${o.stuckPastDeadline}, locks by dead hosts ${o.locksByDeadHosts}, lost requests ${o.lostRequests}`),
  });
  const gone = await bmcs.gone(w, { fraction: 0.2, goneMs: Number(values['bmc-gone']) * 1000, settleMs: 120_000, phase: `20% of BMCs gone ${values['bmc-gone']} s` });
  outcomes.push(gone);
  console.log(`  BMC outage: ${bmcLine(gone.bmc)}`);
  console.log(summary(outcomes, { nodes, allocations: w.allocations.size, refused: w.refused, 'refused though done': w.refusedThoughDone, 'HTTP 500 answers': w.errors.length }));
  for (const o of outcomes) for (const d of o.detail.slice(0, 5)) console.log(`  ${o.phase}: ${d}`);
  for (const r of w.refusals) console.log(`  refused: ${r}`);
  const bad = outcomes.reduce((s, o) => s + o.stuckPastDeadline + o.locksByDeadHosts + o.lostRequests, 0) + w.refusedThoughDone;
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${load()}`);
  code = bad === 0 && gone.bmc.maintenance === 0 && gone.bmc.stillOpen === 0 ? 0 : 1;
} finally {
  await w.stop();
  await bmcs?.stop();
}
process.exit(code);
