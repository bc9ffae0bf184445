/**
 * The API bench's wrk steps against several servers at once, interleaved round by round so every server sees the
 * same machine load: this checkout's `anvil server`, optionally a baseline checkout's (BASELINE=<dir of another
 * checkout with its node_modules>, e.g. `git worktree add /tmp/base <commit>` + `cp -a node_modules`), and
 * optionally a private Debian Ironic 21.4 (IRONIC=1, bench/real-ironic.ts). Each server gets its nodes (N_NODES,
 * Ironic N_NODES_IRONIC: it creates ~50 nodes/s), then each step (BENCH_STEPS) runs ROUNDS times per server in
 * turn (each round starting with the next server); the table shows the median req/s and p50 per server, the ratios and the load average.
 * Usage: BASELINE=/tmp/base IRONIC=1 BENCH_STEPS=show ROUNDS=3 node --import tsx bench/api-side-by-side.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRealIronic } from './real-ironic.ts';
import { createNodes, load, startServer, STEPS, VERSION, WRK, wrkSteps, type Row } from './api-bench-lib.ts';

const N = Number(process.env.N_NODES ?? 1000);
const N_IRONIC = Number(process.env.N_NODES_IRONIC ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Target {
  label: string;
  url: string;
  uuids: string[];
  rows: Map<string, Row[]>;
  stop(): Promise<void> | void;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sbs-'));
  const targets: Target[] = [];
  try {
    const add = async (label: string, url: string, n: number, stop: () => Promise<void> | void) => {
      const t: Target = { label, url, uuids: [], rows: new Map(), stop };
      targets.push(t);
      t.uuids = (await createNodes(url, n)).uuids;
    };
    const mine = await startServer(join(dir, 'anvil'));
    await add('Anvil', mine.url, N, mine.stop);
    if (process.env.BASELINE) {
      const base = await startServer(join(dir, 'baseline'), process.env.BASELINE);
      await add('Anvil baseline', base.url, N, base.stop);
    }
    if (process.env.IRONIC === '1') {
      const ironic = startRealIronic();
      await add('Ironic 21.4', ironic.url, N_IRONIC, ironic.stop);
    }
    const loads: string[] = [load()];
    for (const step of ['show', 'list', 'detail'].filter((s) => STEPS.has(s))) {
      for (let r = 0; r < ROUNDS; r++) {
        // each round starts with the next server, so none always runs right after the same one
        for (const t of [...targets.slice(r % targets.length), ...targets.slice(0, r % targets.length)]) {
          const [row] = await wrkSteps(t.url, dir, t.uuids, t.label.replace(/\W+/g, '-'), step);
          t.rows.set(row.step, [...(t.rows.get(row.step) ?? []), row]);
          loads.push(row.load);
        }
      }
    }
    console.log(`API side by side: microversion ${VERSION}, wrk -t${WRK.t} -c${WRK.c} -d${WRK.d}, ${ROUNDS} rounds interleaved, median of each; ` +
      `Anvil ${N} nodes (SQLite, one process)${process.env.IRONIC === '1' ? `, Ironic ${N_IRONIC} nodes` : ''}; load average ${loads[0]} … ${loads[loads.length - 1]}`);
    const [a, ...others] = targets;
    const head = ['step', ...targets.map((t) => `${t.label} req/s (p50 ms)`), ...others.map((t) => `${a.label} / ${t.label}`), 'errors'];
    console.log(`| ${head.join(' | ')} |`);
    console.log(`|${head.map(() => '---').join('|')}|`);
    for (const step of a.rows.keys()) {
      const cell = (t: Target) => {
        const rows = t.rows.get(step) ?? [];
        return { rps: median(rows.map((r) => r.rps)), p50: median(rows.map((r) => r.p50)), errors: rows.reduce((s, r) => s + r.errors, 0) };
      };
      const cells = targets.map(cell);
      const ratios = cells.slice(1).map((c) => `${(cells[0].rps / c.rps).toFixed(1)}×`);
      console.log(`| ${step} | ${cells.map((c) => `${c.rps.toFixed(1)} (${c.p50.toFixed(2)})`).join(' | ')} | ${ratios.join(' | ')} | ${cells.map((c) => c.errors).join('/')} |`);
    }
  } finally {
    for (const t of targets) await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
