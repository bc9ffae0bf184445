/**
 * The short chaos suite (issue #19 item 8; the long one is bench/chaos-bench.ts). 1 API + 2 conductors over a
 * private Kafka broker and MariaDB (behind a TCP proxy), fake-hardware nodes driven through deploy / undeploy /
 * allocation while, one after the other: a conductor is SIGKILLed mid-deploy (and started again), the broker is
 * restarted, the API process is SIGKILLed mid-allocation (and started again), and every database connection is
 * cut for 3 s (a MariaDB restart as the clients see it), and 20% of the BMCs of 20 `ipmi` nodes (virtual BMCs, real IPMI
 * over UDP) gone for 8 s while the others deploy (chaos-bmc.ts: no node to maintenance, no incident left open). After each phase the world settles and the summary counts —
 * nodes stuck past their deadline, locks held by dead hosts, lost requests — must all be zero; they are printed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { failWithout } from '../prereq.ts';
import { ChaosWorld, type Outcome, runChaos, summary } from './chaos.ts';
import { BMC_CHAOS_SETTINGS, type BmcPhaseCounts, ChaosBmcs, bmcLine } from './chaos-bmc.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS; // the broker jars and JVM are there; the suite runs its own broker
failWithout(!MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false);

const N = 12;
let w: ChaosWorld;
let bmcs: ChaosBmcs | undefined;
let bmcCounts: BmcPhaseCounts | undefined;
const outcomes: Outcome[] = [];
let thoughDoneBefore = 0;
const t0 = Date.now();

before(async () => {
  w = await ChaosWorld.start({ mysqlUrl: MYSQL!, conductors: 2, instance: `chaos-${process.pid}`, settings: BMC_CHAOS_SETTINGS });
});

after(async () => {
  if (bmcCounts) console.log(`chaos BMC outage: ${bmcLine(bmcCounts)}`);
  if (outcomes.length) console.log(summary(outcomes, { nodes: N, allocations: w?.allocations.size ?? 0, refused: w?.refused ?? 0, 'refused though done': w?.refusedThoughDone ?? 0, 'HTTP 500 answers': w?.errors.length ?? 0 }));
  if (process.env.ANVIL_TEST_DEBUG && w) for (const p of w.cluster.procs.values()) console.log(`--- ${p.name}\n${p.output.join('').split('\n').filter((l) => /warn|error/i.test(l)).slice(-30).join('\n')}`);
  await w?.stop();
  await bmcs?.stop();
});

test('chaos: conductor SIGKILL, broker restart, API killed mid-allocation, database cut — nothing stuck, locked or lost', { timeout: 240_000 }, async () => {
  const uuids = await w.availableNodes(N, w.cluster.group);
  bmcs = await ChaosBmcs.start(w, 20);
  console.log(`world up: ${Date.now() - t0} ms`);
  await runChaos(w, uuids, {
    rounds: 1,
    dbCutMs: 3_000,
    allocations: 8,
    settleMs: 40_000,
    log: (l) => console.log(l),
    onPhase: (o) => {
      outcomes.push(o);
      // a verb the client was only told was refused never ran because of a killed conductor (the API re-routes no
      // call a conductor took). Printed, not asserted, for the other phases: this 3 s cut stays under heartbeat_timeout,
      // so it cannot show the long run's database-cut case (conductors declared dead after they heartbeated again,
      // fixed and proven by revived-conductor.test.ts); the long run counts it (bench/README.md, Chaos)
      const thoughDone = w.refusedThoughDone - thoughDoneBefore;
      thoughDoneBefore = w.refusedThoughDone;
      if (o.phase.startsWith('conductor SIGKILLed')) assert.equal(thoughDone, 0, `refused though done:\n${w.refusals.filter((e) => e.includes('refused though done')).join('\n')}`);
      const why = `${o.phase}:\n${o.detail.slice(0, 10).join('\n')}\nrefused: ${w.refusals.slice(-8).join('\n')}\n500s: ${w.errors.slice(-4).join('\n')}`;
      assert.equal(o.stuckPastDeadline + o.locksByDeadHosts + o.lostRequests, 0, why);
    },
  });
  const gone = await bmcs.gone(w, { fraction: 0.2, goneMs: 8_000, settleMs: 40_000, phase: '20% of BMCs gone 8 s' });
  outcomes.push(gone);
  bmcCounts = gone.bmc;
  assert.equal(gone.stuckPastDeadline + gone.locksByDeadHosts + gone.lostRequests, 0, gone.detail.join('\n'));
  assert.equal(gone.bmc.maintenance, 0, `nodes put in maintenance by one BMC outage:\n${gone.detail.join('\n')}`);
  assert.ok(gone.bmc.incidents >= 1, 'the outage was recorded as an incident');
  assert.equal(gone.bmc.stillOpen, 0, `every incident resolved once the BMCs answered:\n${gone.detail.join('\n')}`);
  assert.ok(w.allocations.size >= 2, `allocations accepted around the API kill: ${w.allocations.size}`);
  assert.equal(w.accepted.size, N + 20);
});
