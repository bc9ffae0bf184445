/**
 * 1000 Get Chassis Status reads spread over several simulated BMCs (OpenIPMI ipmi_sim on 127.0.0.1):
 * the native ipmi-lan-ts client (one UDP socket, one RMCP+ session per BMC kept open) against forking
 * `ipmitool -I lanplus ... chassis status` once per read (what Ironic does). Prints both and the ratio.
 *
 *   npx tsx bench/ipmi-bench.ts [--reads 1000] [--bmcs 4] [--suite 3] [--ipmitool-concurrency 4]
 * Targets: native 1000 reads < 2 s, and ≥ 20× faster than ipmitool. Exit code 1 when a target is missed.
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { IpmiClient, UdpTransport } from 'ipmi-lan-ts';
import { IPMITOOL, missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const READS = arg('reads', 1000);
const BMCS = arg('bmcs', 4);
const SUITE = arg('suite', 3);
const FORK_CONCURRENCY = arg('ipmitool-concurrency', Math.max(2, cpus().length * 2));

const missing = missingIpmiSim() ?? missingIpmitool();
if (missing) {
  console.error(`ipmi-bench: cannot run: ${missing}`);
  process.exit(2);
}

async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

function forkRead(peer: Peer): Promise<boolean> {
  const args = ['-I', 'lanplus', '-C', String(SUITE), '-H', peer.host, '-p', String(peer.port), '-U', peer.username, '-P', peer.password, 'chassis', 'status'];
  return new Promise((resolve, reject) =>
    execFile(IPMITOOL, args, (err, stdout) => (err ? reject(err) : resolve(/System Power\s+:\s+on/.test(stdout)))),
  );
}

const peers = await Promise.all(Array.from({ length: BMCS }, () => startIpmiSim({ chassisScript: false })));
try {
  // native: one session per BMC; sessions run in parallel, each keeps one request in flight
  const transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
  const clients = peers.map((p) => new IpmiClient({ host: p.host, port: p.port, username: p.username, password: p.password, cipherSuite: SUITE, transport }));
  await Promise.all(clients.map((c) => c.chassisStatus())); // sessions open (counted below as part of the run too)
  await Promise.all(clients.map((c) => c.close()));
  const fresh = peers.map((p) => new IpmiClient({ host: p.host, port: p.port, username: p.username, password: p.password, cipherSuite: SUITE, transport }));
  const t0 = performance.now();
  const perBmc = Math.ceil(READS / BMCS);
  let done = 0;
  await Promise.all(
    fresh.map(async (c, i) => {
      const n = Math.min(perBmc, READS - i * perBmc);
      for (let k = 0; k < n; k++) {
        await c.chassisStatus();
        done++;
      }
    }),
  );
  const native = performance.now() - t0;
  await Promise.all(fresh.map((c) => c.close()));
  await transport.close();

  // ipmitool: one process (and one RMCP+ session) per read
  const t1 = performance.now();
  await pool(
    FORK_CONCURRENCY,
    Array.from({ length: READS }, (_, i) => () => forkRead(peers[i % BMCS])),
  );
  const forked = performance.now() - t1;

  const row = (name: string, ms: number) => `${name.padEnd(28)} ${String(READS).padStart(6)} ${ms.toFixed(0).padStart(10)} ${((READS / ms) * 1000).toFixed(0).padStart(10)}`;
  console.log(`ipmi-bench: ${READS} Get Chassis Status reads over ${BMCS} ipmi_sim BMCs, cipher suite ${SUITE}`);
  console.log(`${'client'.padEnd(28)} ${'reads'.padStart(6)} ${'total ms'.padStart(10)} ${'reads/s'.padStart(10)}`);
  console.log(row('ipmi-lan-ts (native)', native));
  console.log(row(`ipmitool fork (x${FORK_CONCURRENCY} parallel)`, forked));
  const ratio = forked / native;
  console.log(`ratio: native is ${ratio.toFixed(1)}x faster (reads done: ${done})`);
  const ok = native < 2000 && ratio >= 20;
  console.log(`targets (native < 2000 ms, >= 20x): ${ok ? 'met' : 'MISSED'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all(peers.map((p) => p.stop()));
}
