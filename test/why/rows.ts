/**
 * The rows of the `anvil why` failure table: each injects one failure through real parts (ipmi_sim BMCs with a wrong
 * password or gone, image servers that 404 or never answer, simulated machines that PXE-boot the wrong firmware,
 * cannot reach the API, lose power mid-deploy or lose their disk, an agent whose MAC no port has, a conductor that
 * died holding a lock) and names the diagnosis it must get.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDisk, SimAgent } from '@anvil/agent-sim';
import { why } from '../../cli/src/commands/why.ts';
import { freeUdpPort, hash, startSim, until, waitState } from '../deploy/fixtures.ts';
import { AGENT_UP_MS, busyRetry, CALLBACK_TIMEOUT_S, PAST_CALLBACK_MS, type Row, type WhyWorld } from './world.ts';

export function failureRows(w: WhyWorld): Row[] {
  const { node, verb, manageable, available, deployFails, untilLastError, tftp } = w;
  return [
  {
    name: 'wrong BMC password (manage → verify)',
    code: 'bmc.auth_failed',
    run: async (c) => {
      await node(c, { driverInfo: { ipmi_password: 'not-the-password' } });
      await verb(c.name, 'manage');
      await untilLastError(c.name);
      return c.name;
    },
    cause: /refused the credentials/,
    hint: /ipmi_password/,
  },
  {
    name: 'unreachable BMC (manage → verify)',
    code: 'bmc.unreachable',
    run: async (c) => {
      await node(c, { driverInfo: { ipmi_port: await freeUdpPort() } });
      await verb(c.name, 'manage');
      await untilLastError(c.name);
      return c.name;
    },
    cause: /BMC at 127\.0\.0\.1:\d+ did not answer/,
    hint: /ipmi_address/,
  },
  {
    name: 'BMC gone before a power action',
    code: 'bmc.unreachable',
    run: async (c) => {
      const { bmc: b } = await available(c);
      await b.stop();
      assert.equal((await w.api('PUT', `/nodes/${c.name}/states/power`, { target: 'power on' })).status, 202);
      await until('power failure', async () => ((await w.api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
      return c.name;
    },
    cause: /did not answer/,
    hint: /UDP 623/,
  },
  {
    name: 'BMC password changed before a power action',
    code: 'bmc.auth_failed',
    run: async (c) => {
      await available(c);
      assert.equal((await w.api('PATCH', `/nodes/${c.name}`, [{ op: 'replace', path: '/driver_info/ipmi_password', value: 'changed' }])).status, 200);
      assert.equal((await w.api('PUT', `/nodes/${c.name}/states/power`, { target: 'power on' })).status, 202);
      await until('power failure', async () => ((await w.api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
      return c.name;
    },
    cause: /refused the credentials/,
    hint: /ipmi_password/,
    step: /power/,
  },
  {
    name: 'BMC gone while the agent writes the image',
    code: 'bmc.unreachable',
    run: async (c) => {
      const { bmc: b } = await available(c);
      const { machine } = startSim(c.t, b, c.mac, tftp(), { name: c.name });
      await verb(c.name, 'active');
      await until('the agent is up', async () => machine.agent?.token ?? undefined, AGENT_UP_MS);
      await b.stop();
      await waitState(w.api, c.name, 'deploy failed', PAST_CALLBACK_MS);
      return c.name;
    },
    cause: /did not answer/,
    hint: /ipmi_address/,
    step: /deploy\./,
  },
  {
    name: 'driver_info without ipmi_address',
    code: 'driver.invalid_config',
    run: async (c) => {
      await node(c, { driverInfo: { ipmi_address: undefined } });
      await verb(c.name, 'manage');
      await untilLastError(c.name);
      return c.name;
    },
    cause: /Missing .*ipmi_address/,
    hint: /baremetal node validate/,
  },
  {
    name: 'missing deploy kernel (404)',
    code: 'boot.deploy_image_unavailable',
    run: async (c) => {
      await available(c, { driverInfo: { deploy_kernel: `${w.images.url}/no-such-kernel` } });
      await deployFails(c);
      return c.name;
    },
    cause: /no-such-kernel/,
    hint: /deploy_kernel/,
  },
  {
    name: 'missing deploy kernel during manual cleaning',
    code: 'boot.deploy_image_unavailable',
    run: async (c) => {
      await manageable(c, { driverInfo: { deploy_ramdisk: `${w.images.url}/no-such-ramdisk` } });
      await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
      await waitState(w.api, c.name, 'clean failed', 20_000);
      return c.name;
    },
    cause: /no-such-ramdisk/,
    hint: /deploy_ramdisk/,
  },
  {
    name: 'bad image checksum',
    code: 'image.checksum_mismatch',
    run: async (c) => {
      const { bmc: b } = await available(c, { instanceInfo: { image_os_hash_value: hash('sha512', Buffer.from('other')) } });
      startSim(c.t, b, c.mac, tftp(), { name: c.name });
      await deployFails(c);
      return c.name;
    },
    cause: /checksum does not match/,
    hint: /image_os_hash_value/,
    step: /deploy\.write_image/,
  },
  {
    name: 'image URL 404',
    code: 'image.unreachable',
    run: async (c) => {
      const { bmc: b } = await available(c, { instanceInfo: { image_source: `${w.images.url}/no-such-image.raw` } });
      startSim(c.t, b, c.mac, tftp(), { name: c.name });
      await deployFails(c);
      return c.name;
    },
    cause: /HTTP 404/,
    hint: /image_source/,
    step: /deploy\.write_image/,
  },
  {
    name: 'TFTP file not found (UEFI firmware, node set to BIOS)',
    code: 'boot.tftp_file_not_found',
    run: async (c) => {
      const { bmc: b } = await available(c, { fields: { properties: { capabilities: 'boot_mode:bios' } } });
      startSim(c.t, b, c.mac, tftp(), { name: c.name, bootMode: 'uefi' });
      await deployFails(c);
      return c.name;
    },
    cause: new RegExp('TFTP file not found: grub\\.cfg-01-'),
    hint: /boot mode/,
  },
  {
    name: 'the machine never network-boots (no agent)',
    code: 'boot.no_tftp_request',
    run: async (c) => {
      await available(c);
      await verb(c.name, 'active');
      // while it waits: what for and until when
      const waiting = await until('why shows the callback deadline', async () => {
        const r = JSON.parse((await why([c.name, '-f', 'json', '--endpoint', w.anvil.url])).out);
        return r.node.provision_state === 'wait call-back' ? r : undefined;
      });
      assert.match(waiting.waiting.for, new RegExp(`deploy_callback_timeout ${CALLBACK_TIMEOUT_S}\\b`));
      assert.ok(Date.parse(waiting.waiting.until) > Date.now() - 1000 && waiting.waiting.seconds_left <= CALLBACK_TIMEOUT_S, JSON.stringify(waiting.waiting));
      assert.deepEqual(waiting.scheduling, ['not available (provision_state wait call-back)'], 'nova-bridge reasons');
      await waitState(w.api, c.name, 'deploy failed', PAST_CALLBACK_MS);
      return c.name;
    },
    cause: /DHCP answered but no TFTP request came/,
    hint: /network-boots/,
  },
  {
    name: 'kernel fetched, the ramdisk cannot reach the API',
    code: 'agent.no_lookup',
    run: async (c) => {
      const { bmc: b } = await available(c);
      // the ramdisk boots with an ipa-api-url nobody listens on
      startSim(c.t, b, c.mac, tftp(), { name: c.name, ipaApiUrl: `http://127.0.0.1:${w.deadPort}` });
      await deployFails(c);
      return c.name;
    },
    cause: /no lookup came within/,
    hint: /ipa-api-url/,
  },
  {
    name: 'lookup from a MAC no port has',
    code: 'agent.lookup_rejected',
    where: 'mac',
    run: async (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'anvil-why-agent-'));
      const agent = new SimAgent({ apiUrl: w.anvil.url, macs: [c.mac], disk: new FileDisk(join(dir, 'd.img'), 1024 * 1024), powerOff: async () => undefined, heartbeatMs: 500 });
      c.t.after(async () => {
        await agent.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      await agent.start();
      await until('a rejected lookup', async () => agent.lookups.includes(404) || undefined, 15_000);
      return c.mac;
    },
    cause: /lookup from a MAC no port has/,
    hint: /ports/,
  },
  {
    name: 'power lost mid-deploy: heartbeats stop at the running step',
    code: 'agent.no_heartbeat',
    run: async (c) => {
      const { bmc: b, uuid } = await available(c, { instanceInfo: { image_source: `${w.stall.url}/disk.raw` } });
      const { machine } = startSim(c.t, b, c.mac, tftp(), { name: c.name });
      await verb(c.name, 'active');
      await until('a heartbeat during write_image', async () => (await w.db.bootTrace.list({ nodeUuid: uuid })).some((e) => e.kind === 'heartbeat' && e.step === 'deploy.write_image') || undefined, AGENT_UP_MS);
      await machine.stop(); // the host loses power: no more heartbeats
      await waitState(w.api, c.name, 'deploy failed', PAST_CALLBACK_MS);
      return c.name;
    },
    cause: /Heartbeats stopped at step deploy\.write_image/,
    hint: /console/,
    step: /deploy\.write_image/,
  },
  {
    name: 'a clean step that fails in the agent (disk gone)',
    code: 'clean.step_failed',
    run: async (c) => {
      const { bmc: b } = await manageable(c);
      const sim = startSim(c.t, b, c.mac, tftp(), { name: c.name });
      rmSync(join(sim.dir, 'disk.img')); // the machine's disk is gone: erasing it fails in the agent
      await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
      await waitState(w.api, c.name, 'clean failed', PAST_CALLBACK_MS);
      return c.name;
    },
    cause: /Clean step deploy\.erase_devices_metadata failed: .*ENOENT/,
    hint: /maintenance unset/,
    step: /deploy\.erase_devices_metadata/,
  },
  {
    name: 'cleaning aborted by the operator',
    code: 'operation.aborted',
    run: async (c) => {
      await manageable(c);
      await verb(c.name, 'clean', { clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
      await waitState(w.api, c.name, 'clean wait', 20_000);
      await verb(c.name, 'abort');
      await waitState(w.api, c.name, 'clean failed', 20_000);
      return c.name;
    },
    cause: /aborted/,
    hint: /start the operation again/,
  },
  {
    name: 'adoption without a deploy kernel',
    code: 'adopt.failed',
    run: async (c) => {
      await manageable(c, { driverInfo: { deploy_kernel: undefined } });
      await verb(c.name, 'adopt');
      await waitState(w.api, c.name, 'adopt failed', 20_000);
      return c.name;
    },
    cause: /Adoption failed: Missing .*deploy_kernel/,
    hint: /baremetal node validate/,
  },
  {
    name: 'boot mode change the driver cannot do',
    code: 'driver.operation_failed',
    run: async (c) => {
      await manageable(c);
      const r = await w.api76('PUT', `/nodes/${c.name}/states/boot_mode`, { target: 'uefi' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await until('boot mode failure', async () => ((await w.api('GET', `/nodes/${c.name}`)).body.last_error ? true : undefined), 20_000);
      return c.name;
    },
    cause: /boot mode/,
    hint: /driver property list/,
  },
  {
    name: 'a node locked by a running deploy (deploy kernel server stalls)',
    code: 'lock.held',
    where: 'current',
    run: async (c) => {
      await available(c, { driverInfo: { deploy_kernel: `${w.stall.url}/kernel` } });
      await verb(c.name, 'active');
      const holder = await until('reservation', async () => (await w.api('GET', `/nodes/${c.name}`)).body.reservation || undefined, 10_000);
      // the 409 keeps Ironic's body and names the holder and since when
      const r = await fetch(`${w.anvil.url}/v1/nodes/${c.name}/states/power`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.46' }, body: JSON.stringify({ target: 'power off' }) });
      assert.equal(r.status, 409);
      assert.match(JSON.parse(((await r.json()) as { error_message: string }).error_message).faultstring, new RegExp(`is locked by host ${holder}, please retry`));
      assert.equal(r.headers.get('x-anvil-lock-holder'), holder);
      assert.ok(Date.parse(r.headers.get('x-anvil-locked-since') ?? '') <= Date.now());
      const shown = JSON.parse((await why([c.name, '-f', 'json', '--endpoint', w.anvil.url])).out);
      assert.equal(shown.lock.holder, holder);
      assert.equal(shown.lock.alive, true);
      assert.equal(shown.lock.since, r.headers.get('x-anvil-locked-since'));
      return c.name;
    },
    cause: /holds the node's lock since/,
    hint: /409/,
  },
  {
    name: 'a conductor died holding the lock of a deploying node',
    code: 'conductor.lost',
    run: async (c) => {
      const { uuid } = await available(c);
      // a second conductor that registered, took the node's lock mid-deploy, then stopped heartbeating
      await busyRetry(async () => {
        await w.db.conductors.register('ghost-conductor', 'ghosts', ['ipmi']); // its own group: the live ring stays whole
        await w.db.nodes.update(uuid, { provision_state: 'deploying', target_provision_state: 'active' });
        await w.db.nodes.reserve(uuid, 'ghost-conductor');
      });
      await waitState(w.api, c.name, 'deploy failed', 30_000);
      return c.name;
    },
    cause: /Conductor ghost-conductor stopped heartbeating/,
    hint: /another conductor owns it/,
  },
  ];
}
