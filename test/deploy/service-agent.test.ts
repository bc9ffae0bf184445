/**
 * Servicing through the agent (API 1.87, Ironic 39's prepare_service / service heartbeat / tear_down_service) against
 * `anvil server` with an ipmi_sim BMC, pxe + direct + flat and the simulated machine: an active node is serviced with
 * an in-band step only the agent knows (deploy.burnin_cpu): the machine PXE-boots the ramdisk (service wait), the agent
 * lists its service steps and runs the step, the ramdisk is torn down and the machine boots its disk again (active).
 * A step the agent fails (burnin_network without a partner) → service failed with Ironic 39's last_error and its
 * `deploying` history entry; abort from there and abort of a running step in service wait both bring the instance back.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { SimMachine } from '@anvil/agent-sim';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { apiClient, type ApiClient, deployDebug, FAST_DEPLOY_SETTINGS, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, simFor, startImageServer, until, waitState, wholeDiskImage } from './fixtures.ts';

failWithout(anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim());

const MAC = '52:54:00:00:5e:01';

describe('servicing through the agent (1.87)', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let v87: ApiClient;
  let images: ImageServer;
  let tftpPort: number;
  let bmc: Peer;
  let machine: SimMachine;
  let uuid: string;
  let simDir = '';
  const image = wholeDiskImage();

  before(async () => {
    [images, tftpPort, bmc] = await Promise.all([startImageServer({ kernel: Buffer.from('kernel'), ramdisk: Buffer.from('ramdisk'), 'disk.raw': image }), freeUdpPort(), startIpmiSim()]);
    anvil = await startAnvil({ pxe_tftp_port: tftpPort, automated_clean: false, ...FAST_DEPLOY_SETTINGS, deploy_logs_collect: 'never' });
    api = apiClient(anvil.url, '1.87');
    v87 = api;
  });
  after(async () => {
    await machine?.stop();
    if (simDir) rmSync(simDir, { recursive: true, force: true });
    await anvil?.stop();
    await Promise.all([images?.stop(), bmc?.stop()]);
  });

  const service = async (steps: object[]) => {
    const r = await v87('PUT', `/nodes/${uuid}/states/provision`, { target: 'service', service_steps: steps });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  };
  const history = async () => (await v87('GET', `/nodes/${uuid}/history?detail=True`)).body.history as { event: string; event_type: string; severity: string }[];
  /** active with the lock released (an abort moves the node first and tears down after, under the lock) */
  const settledActive = async () => {
    await waitState(api, uuid, 'active', 30_000);
    return until('the node unlocked', async () => {
      const n = (await api('GET', `/nodes/${uuid}`)).body;
      return n.reservation === null && n.provision_state === 'active' ? n : undefined;
    }, 30_000);
  };
  /** the instance is back: powered on, booting from its disk, no agent left on the node */
  const instanceBack = async (n: { power_state: string; driver_internal_info: Record<string, unknown> }) => {
    assert.equal(n.power_state, 'power on');
    assert.equal(n.driver_internal_info.agent_url, undefined);
    await until('the machine boots its disk', async () => machine.events.at(-1)?.kind === 'disk-boot');
  };

  test('deploy an active node (direct, whole disk)', async () => {
    const n = await api('POST', '/nodes', {
      name: 'svc',
      driver: 'ipmi',
      boot_interface: 'pxe',
      deploy_interface: 'direct',
      network_interface: 'flat',
      driver_info: ipmiDriverInfo(bmc, images.url),
      instance_info: { image_source: `${images.url}/disk.raw`, image_checksum: hash('md5', image) },
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    uuid = n.body.uuid;
    assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: MAC })).status, 201);
    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' });
    await waitState(api, uuid, 'manageable');
    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' });
    await waitState(api, uuid, 'available');
    const sim = simFor(bmc, MAC, { host: '127.0.0.1', port: tftpPort }, { name: 'svc' });
    machine = sim.machine;
    simDir = sim.dir;
    machine.start();
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'active' })).status, 202);
    await waitState(api, uuid, 'active', 30_000);
  });

  test('an in-band step: service wait → the agent lists and runs burnin_cpu → ramdisk torn down → active', async (t) => {
    t.after(() => deployDebug(t, machine, anvil));
    const agentsBefore = machine.agents.length;
    await service([{ interface: 'deploy', step: 'burnin_cpu' }]);
    await waitState(api, uuid, 'service wait', 15_000);
    const n = await settledActive();
    const agent = machine.agents.at(-1)!;
    assert.ok(machine.agents.length > agentsBefore, 'the ramdisk booted for servicing');
    assert.deepEqual(agent.commands.map((c) => `${c.command_name}:${c.command_status}`), ['get_service_steps:SUCCEEDED', 'execute_service_step:SUCCEEDED']);
    const exec = agent.commands[1].command_params as { step: Record<string, unknown>; service_version: unknown };
    assert.deepEqual([exec.step.interface, exec.step.step, exec.step.abortable], ['deploy', 'burnin_cpu', true]);
    assert.deepEqual(exec.service_version, { generic_hardware_manager: '1.2' });
    assert.equal(n.last_error, null);
    assert.deepEqual(n.service_step, {});
    assert.equal(n.driver_internal_info.service_steps, null);
    assert.equal(n.driver_internal_info.agent_start_attempted, undefined);
    await instanceBack(n);
    const events = (await history()).filter((h) => h.event_type.startsWith('servicing')).slice(-2).map((h) => [h.event_type, h.severity, h.event]);
    assert.deepEqual(events, [
      ['servicing_start', 'INFO', "Starting servicing with steps=[{'interface': 'deploy', 'step': 'burnin_cpu'}]"],
      // Ironic wipes the step list before it records the end
      ['servicing_end', 'INFO', 'Servicing completed successfully with steps=[]'],
    ]);
  });

  test('a step the agent fails: service failed as Ironic 39 (deploying error handler), then abort → active', async (t) => {
    t.after(() => deployDebug(t, machine, anvil));
    await service([{ interface: 'deploy', step: 'burnin_network' }]);
    const failed = await waitState(api, uuid, 'service failed', 30_000);
    const msg = `Service step deploy.burnin_network failed on node ${uuid}. fio (network): dynamic pairing config is missing agent_burnin_fio_network_pairing_backend_url`;
    assert.equal(failed.last_error, msg);
    assert.equal(failed.maintenance, false, 'Ironic 39 leaves maintenance off on an agent-reported step failure');
    assert.equal(failed.fault, null);
    assert.equal(failed.service_step.step, 'burnin_network');
    const last = (await history()).at(-1)!;
    assert.deepEqual([last.event_type, last.severity, last.event], ['deploying', 'ERROR', msg]);
    assert.equal((await v87('PUT', `/nodes/${uuid}/states/provision`, { target: 'abort' })).status, 202);
    const n = await settledActive();
    assert.equal(n.last_error, 'By request, the service operation was aborted during or after the completion of step "deploy.burnin_network"');
    assert.deepEqual(n.service_step, {});
    await instanceBack(n);
  });

  test('abort in service wait while the agent runs an abortable step → active; a step nobody knows → service failed', async (t) => {
    t.after(() => deployDebug(t, machine, anvil));
    assert.equal((await api('PATCH', `/nodes/${uuid}`, [{ op: 'add', path: '/driver_info/agent_burnin_cpu_timeout', value: 20 }])).status, 200);
    await service([{ interface: 'deploy', step: 'burnin_cpu' }]);
    await until('burnin_cpu running in the agent', async () => {
      const n = (await api('GET', `/nodes/${uuid}`)).body;
      const cmd = machine.agents.at(-1)?.commands.at(-1);
      return n.provision_state === 'service wait' && n.service_step?.step === 'burnin_cpu' && cmd?.command_name === 'execute_service_step' && cmd.command_status === 'RUNNING';
    }, 20_000);
    assert.equal((await v87('PUT', `/nodes/${uuid}/states/provision`, { target: 'abort' })).status, 202);
    const n = await settledActive();
    assert.equal(n.last_error, 'By request, the service operation was aborted during or after the completion of step "deploy.burnin_cpu"');
    await instanceBack(n);
    // a step neither the conductor nor the agent has: the ramdisk boots, lists its steps, and servicing fails
    await service([{ interface: 'deploy', step: 'no_such_step' }]);
    const failed = await waitState(api, uuid, 'service failed', 30_000);
    assert.equal(failed.last_error, "Node failed to start the first service step: node does not support this service step: {'interface': 'deploy', 'step': 'no_such_step'}");
    assert.equal(failed.maintenance, false);
  });
});
