/**
 * `anvil sim --count 2 --enroll` against `anvil server`: two ipmi_sim BMCs + simulated machines are enrolled as
 * ipmi/pxe/direct/flat nodes with the deploy kernel/ramdisk the sim serves itself; a second run (same names and MACs,
 * new BMCs) updates the same nodes instead of failing half-way; providing both runs automated cleaning through their
 * agents concurrently; SIGTERM stops the simulator (and its BMCs) with exit code 0.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { missingIpmiSim, missingIpmitool } from 'ipmi-lan-ts/testing';
import { anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, freeUdpPort, waitState } from './fixtures.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const root = new URL('../../', import.meta.url).pathname;
const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim();
failWithout(missing);

test('anvil sim enrolls N simulated nodes that clean through their agents; re-running it is idempotent', async (t) => {
  const tftpPort = await freeUdpPort();
  const anvil = await startAnvil({ pxe_tftp_port: tftpPort, ramdisk_heartbeat_timeout: 2, ipmi_attempt_timeout: 0.5, ipmi_power_poll_interval: 0.2, sync_power_state_interval: 600, deploy_logs_collect: 'never' });
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sim-cli-'));
  const sims: ChildProcess[] = [];
  t.after(async () => {
    for (const sim of sims) if (sim.exitCode === null) sim.kill('SIGKILL');
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  // no --deploy-kernel/--deploy-ramdisk: the sim serves its own placeholders, so the nodes provide with no extra step
  const runSim = async () => {
    const sim = spawn(process.execPath, [
      join(root, 'cli/bin/anvil.js'), 'sim', '--count', '2', '--enroll', '--api', anvil.url, '--tftp', `127.0.0.1:${tftpPort}`,
      '--heartbeat-ms', '500', '--data-dir', dir, '--disk-mib', '64', '--name-prefix', 'cli-sim-',
    ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    sims.push(sim);
    const io = { out: '', err: '' };
    sim.stdout!.on('data', (d) => (io.out += d));
    sim.stderr!.on('data', (d) => (io.err += d));
    await until(
      'anvil sim to print ready',
      async () => {
        assert.equal(sim.exitCode, null, `anvil sim exited:\n${io.out}\n${io.err}`);
        return io.out.includes('ready\n');
      },
      30_000,
      () => `\n${io.out}\n${io.err}`,
      100,
    );
    const nodes = io.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const stop = async () => {
      sim.kill('SIGTERM');
      const code = await new Promise((r) => sim.once('exit', r));
      assert.equal(code, 0, io.err);
    };
    return { nodes, io, stop };
  };
  const first = await runSim();
  assert.equal(first.nodes.length, 2);
  await first.stop();
  // the same rack again (same names and MACs, new BMC ports): the nodes are updated, not duplicated or half-made
  const second = await runSim();
  const nodes = second.nodes;
  assert.deepEqual(nodes.map((n) => n.uuid), first.nodes.map((n) => n.uuid));
  const api = apiClient(anvil.url);
  assert.equal((await api('GET', '/ports?fields=address')).body.ports.filter((p: { address: string }) => nodes.some((n) => n.mac === p.address)).length, 2);
  for (const n of nodes) {
    assert.match(n.uuid, /^[0-9a-f-]{36}$/);
    const node = (await api('GET', `/nodes/${n.uuid}`)).body;
    assert.equal(node.driver, 'ipmi');
    assert.equal(node.boot_interface, 'pxe');
    assert.equal(node.driver_info.ipmi_port, n.bmc.port);
    assert.match(node.driver_info.deploy_kernel, /^http:\/\/127\.0\.0\.1:\d+\/deploy_kernel$/);
    await api('PUT', `/nodes/${n.uuid}/states/provision`, { target: 'manage' });
  }
  for (const n of nodes) await waitState(api, n.uuid, 'manageable');
  for (const n of nodes) await api('PUT', `/nodes/${n.uuid}/states/provision`, { target: 'provide' });
  for (const n of nodes) await waitState(api, n.uuid, 'available');
  // stderr is another pipe than the API's answers: its lines may be read a moment later
  await until('both agents said they are up', async () => /cli-sim-0: agent up at http:\/\/127\.0\.0\.1:\d+/.test(second.io.err) && /cli-sim-1: agent up at/.test(second.io.err), 10_000, () => second.io.err);
  await second.stop();
});
