/**
 * `anvil sim --count 2 --enroll` against `anvil server`: two ipmi_sim BMCs + simulated machines are enrolled as
 * ipmi/pxe/direct/flat nodes; providing both runs automated cleaning through their agents concurrently; SIGTERM
 * stops the simulator (and its BMCs) with exit code 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { missingIpmiSim, missingIpmitool } from 'ipmi-lan-ts/testing';
import { anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, freeUdpPort, startImageServer, waitState } from './fixtures.ts';
import { failWithout } from '../prereq.ts';

const root = new URL('../../', import.meta.url).pathname;
const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim();
failWithout(missing);

test('anvil sim enrolls N simulated nodes that clean through their agents', async (t) => {
  const images = await startImageServer({ kernel: Buffer.from('k'), ramdisk: Buffer.from('r') });
  const tftpPort = await freeUdpPort();
  const anvil = await startAnvil({ pxe_tftp_port: tftpPort, ramdisk_heartbeat_timeout: 2, ipmi_attempt_timeout: 0.5, ipmi_power_poll_interval: 0.2, sync_power_state_interval: 600, deploy_logs_collect: 'never' });
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sim-cli-'));
  const sim = spawn(process.execPath, [
    join(root, 'cli/bin/anvil.js'), 'sim', '--count', '2', '--enroll', '--api', anvil.url, '--tftp', `127.0.0.1:${tftpPort}`,
    '--deploy-kernel', `${images.url}/kernel`, '--deploy-ramdisk', `${images.url}/ramdisk`, '--heartbeat-ms', '500',
    '--data-dir', dir, '--disk-mib', '64', '--name-prefix', 'cli-sim-',
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  sim.stdout.on('data', (d) => (out += d));
  sim.stderr.on('data', (d) => (err += d));
  t.after(async () => {
    if (sim.exitCode === null) sim.kill('SIGKILL');
    await anvil.stop();
    await images.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 30_000;
  while (!out.includes('ready\n')) {
    if (sim.exitCode !== null || Date.now() > deadline) assert.fail(`anvil sim did not get ready:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const nodes = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.equal(nodes.length, 2);
  const api = apiClient(anvil.url);
  for (const n of nodes) {
    assert.match(n.uuid, /^[0-9a-f-]{36}$/);
    const node = (await api('GET', `/nodes/${n.uuid}`)).body;
    assert.equal(node.driver, 'ipmi');
    assert.equal(node.boot_interface, 'pxe');
    assert.equal(node.driver_info.ipmi_port, n.bmc.port);
    await api('PUT', `/nodes/${n.uuid}/states/provision`, { target: 'manage' });
  }
  for (const n of nodes) await waitState(api, n.uuid, 'manageable');
  for (const n of nodes) await api('PUT', `/nodes/${n.uuid}/states/provision`, { target: 'provide' });
  for (const n of nodes) await waitState(api, n.uuid, 'available');
  assert.match(err, /cli-sim-0: agent up at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(err, /cli-sim-1: agent up at/);
  sim.kill('SIGTERM');
  const code = await new Promise((r) => sim.once('exit', r));
  assert.equal(code, 0, err);
});
