/**
 * 1000 power state reads against sushy-tools' emulator (fake driver, started here on 127.0.0.1): Anvil's `redfish`
 * power interface (getPowerState: cached client, one GET of the System) against OpenStack's Python `sushy`
 * (get_system().power_state, as Ironic's redfish power interface) from the same machine, both sequential; plus
 * Anvil with 8 reads in flight. Two rounds, alternating sushy and Anvil (the machine is shared: load changes), the
 * best of each reported. Prints a table with the ratio and the load average. Needs scripts/services/sushy.sh.
 *
 *   npx tsx bench/redfish-bench.ts [--reads 1000] [--concurrency 8] [--rounds 2]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { closeAll, RedfishPower } from '@anvil/plugin-redfish';
import { startEmulator, sushyPython } from '../test/redfish/emulator.ts';
import { makeTask } from '../test/redfish/task.ts';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const READS = arg('reads', 1000);
const CONC = arg('concurrency', 8);
const ROUNDS = arg('rounds', 2);
const SYS = { uuid: '55555555-5555-4555-8555-555555555555', name: 'bench', mac: '52:54:00:dd:00:01', power_state: 'On' as const };
const here = new URL('.', import.meta.url).pathname;

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();
const bmc = await startEmulator({ systems: [SYS], powerDelay: 0 });
try {
  const power = new RedfishPower();
  const task = makeTask({ redfish_address: bmc.url, redfish_system_id: `/redfish/v1/Systems/${SYS.uuid}` });
  await power.getPowerState(task); // warm: client, keep-alive pool
  const anvil = async (conc: number) => {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: conc }, async () => {
        while (next++ < READS) if ((await power.getPowerState(task)) !== 'power on') throw new Error('unexpected power state');
      }),
    );
    return (performance.now() - t0) / 1000;
  };
  const sushy = async () => {
    // async: the emulator logs every request to a pipe this process must keep draining
    const { stdout } = await promisify(execFile)(sushyPython(), [join(here, 'redfish_sushy_bench.py'), bmc.url, `/redfish/v1/Systems/${SYS.uuid}`, String(READS)], { encoding: 'utf8' });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { seconds: number; on: number };
    if (r.on !== READS) throw new Error(`sushy read ${r.on}/${READS} on`);
    return r.seconds;
  };
  const best = { py: Number.POSITIVE_INFINITY, seq: Number.POSITIVE_INFINITY, conc: Number.POSITIVE_INFINITY };
  for (let round = 1; round <= ROUNDS; round++) {
    const r = { py: await sushy(), seq: await anvil(1), conc: await anvil(CONC) };
    console.error(`round ${round}: sushy ${r.py.toFixed(2)} s, anvil ${r.seq.toFixed(2)} s, anvil×${CONC} ${r.conc.toFixed(2)} s (load ${load()})`);
    for (const k of ['py', 'seq', 'conc'] as const) best[k] = Math.min(best[k], r[k]);
  }
  const py = { seconds: best.py };
  const anvilSeq = best.seq;
  const anvilConc = best.conc;
  const row = (what: string, s: number) => `| ${what} | ${s.toFixed(2)} s | ${(READS / s).toFixed(0)} reads/s | ${((s / READS) * 1000).toFixed(2)} ms | ${(py.seconds / s).toFixed(2)}× |`;
  console.log(`${READS} power state reads against sushy-tools (fake driver), load average before: ${loadBefore}, after: ${load()}\n`);
  console.log('| client | total | rate | per read | vs sushy |');
  console.log('|---|---|---|---|---|');
  console.log(row('Python sushy 5.14 (sequential)', py.seconds));
  console.log(row('Anvil redfish power (sequential)', anvilSeq));
  console.log(row(`Anvil redfish power (${CONC} in flight)`, anvilConc));
} finally {
  await closeAll();
  await bmc.stop();
}
