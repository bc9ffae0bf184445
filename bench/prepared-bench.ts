/**
 * Prepared statements on MariaDB (db/src/dialect/mysql-prepared.ts) against the text protocol, on a conductor
 * call's own statements: reserve UPDATE + node SELECT, ports ‖ portgroups, held save UPDATE, release UPDATE, one
 * history INSERT — run sequentially per node like a handler, C handlers at once. Alternates text / prepared runs
 * (same database, same rows) and prints p50/p99 per call and calls/s with the load average.
 *   node --import tsx bench/prepared-bench.ts [--calls 2000] [--concurrency 4] [--rounds 2]
 * Needs ANVIL_TEST_MYSQL_URL (scripts/services/mariadb.sh start; env).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';

const { values: opt } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '4' }, rounds: { type: 'string', default: '2' } } });
const CALLS = Number(opt.calls);
const CONC = Number(opt.concurrency);
const url = process.env.ANVIL_TEST_MYSQL_URL;
if (!url) throw new Error('needs ANVIL_TEST_MYSQL_URL (scripts/services/mariadb.sh start; env)');

const created = await createMysqlDatabase(url);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const pct = (s: number[], p: number) => [...s].sort((a, b) => a - b)[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

async function run(db: Database, uuids: string[], ids: Map<string, number>): Promise<{ p50: number; p99: number; perSec: number }> {
  const samples: number[] = [];
  const t0 = performance.now();
  // each handler works its own nodes (no lock contention between them)
  await Promise.all(
    Array.from({ length: CONC }, async (_, w) => {
      const host = `c${w}`;
      for (let i = w; i < CALLS; i += CONC) {
        const uuid = uuids[w + CONC * (i % 4)];
        const s = performance.now();
        const node = await db.nodes.reserve(uuid, host);
        await Promise.all([db.ports.list({ filters: { node_uuid: uuid } }), db.portgroups.list({ filters: { node_uuid: uuid } })]);
        await db.nodes.update(uuid, { provision_state: i % 2 ? 'manageable' : 'verifying', power_state: 'power off' }, { expectReservation: host, held: node });
        await db.history.record(ids.get(uuid)!, { event: `bench ${i}` });
        await db.nodes.release(uuid, host);
        samples.push(performance.now() - s);
      }
    }),
  );
  return { p50: pct(samples, 50), p99: pct(samples, 99), perSec: CALLS / ((performance.now() - t0) / 1000) };
}

try {
  const rows: string[] = [];
  for (let round = 0; round < Number(opt.rounds); round++) {
    for (const mode of ['text', 'prepared'] as const) {
      if (mode === 'prepared') process.env.ANVIL_DB_PREPARED = '1';
      else delete process.env.ANVIL_DB_PREPARED;
      const db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
      const uuids: string[] = [];
      const ids = new Map<string, number>();
      const existing = await db.nodes.list({ limit: 1000 });
      for (const n of existing) (uuids.push(n.uuid), ids.set(n.uuid, n.id));
      while (uuids.length < CONC * 4) {
        const n = await db.nodes.create({ driver: 'fake-hardware' });
        uuids.push(n.uuid);
        ids.set(n.uuid, n.id);
      }
      await run(db, uuids, ids); // warm-up (connections, statements)
      const r = await run(db, uuids, ids);
      rows.push(`| ${mode} (round ${round + 1}) | ${CALLS} | ${CONC} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.perSec.toFixed(0)} | ${load()} |`);
      console.log(rows.at(-1));
      await db.close();
    }
  }
  console.log('\n| protocol | calls | at once | call p50 ms | call p99 ms | calls/s | load average |\n|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  await created.drop();
}
