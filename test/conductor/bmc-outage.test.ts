/**
 * Correlated BMC failure is one incident (issue #19 item 6), against a real `anvil server` whose ipmi nodes have
 * in-process virtual BMCs (real IPMI over UDP): 3 of 15 BMCs (20%) go silent at once → one incident naming them
 * (GET /v1/anvil/bmc-incidents, `event: bmc_incident` on /v1/anvil/events, diagnosis bmc.outage), none put in
 * maintenance while a single BMC silenced later goes to maintenance as Ironic's power sync does (max retries);
 * when the 3 answer again the incident resolves by itself, and power failure recovery clears the single one.
 * Also `anvil sim --bmc ipmi --deploy-interface fake --enroll` enrols nodes whose power goes through the virtual BMCs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BmcFarm } from '@anvil/agent-sim';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

failWithout(anvilServerMissing());

const root = new URL('../../', import.meta.url).pathname;
const FLEET = 15;
const SILENT = [2, 6, 10]; // 20%
const FLAKY = 14;

describe('correlated BMC failure', () => {
  let anvil: Anvil;
  let farm: BmcFarm;
  const uuids: string[] = [];
  before(async () => {
    farm = await BmcFarm.start({ count: FLEET });
    anvil = await startAnvil({
      sync_power_state_interval: 1,
      power_state_sync_max_retries: 2,
      power_failure_recovery_interval: 1,
      force_power_state_during_sync: false,
      bmc_incident_min_nodes: 3,
      bmc_incident_max_backoff: 2,
      ipmi_attempt_timeout: 0.2,
      ipmi_retries: 1,
    });
  });
  after(async () => {
    await anvil?.stop();
    await farm?.stop();
  });

  const node = async (u: string) => (await anvil.api('GET', `/nodes/${u}`)).body;
  const incidents = async (q = '') => (await anvil.api('GET', `/anvil/bmc-incidents${q}`)).body.bmc_incidents as any[];

  test('anvil sim --bmc ipmi enrols nodes whose power goes through the virtual BMCs', async () => {
    const sim = spawn(process.execPath, [join(root, 'cli/bin/anvil.js'), 'sim', '--bmc', 'ipmi', '--deploy-interface', 'fake', '--count', '3', '--enroll', '--name-prefix', 'cli-', '--mac-prefix', '52:54:00:6b', '--api', anvil.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout.on('data', (d) => {
      out += d;
    });
    sim.stderr.on('data', (d) => {
      out += d;
    });
    try {
      await until('anvil sim to enrol and say ready', async () => out.includes('ready\n'), 60_000, () => out);
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      assert.equal(lines.length, 3);
      const n = await node('cli-1');
      assert.deepEqual([n.driver, n.boot_interface, n.deploy_interface, n.power_interface], ['ipmi', 'fake', 'fake', 'ipmitool']);
      assert.equal(n.driver_info.ipmi_port, lines.find((l) => l.name === 'cli-1')?.bmc.port);
      assert.equal((await anvil.api('PUT', '/nodes/cli-1/states/power', { target: 'power on' })).status, 202);
      await until('power on through the sim BMC', async () => (await node('cli-1')).power_state === 'power on');
      for (const l of lines) assert.equal((await anvil.api('DELETE', `/nodes/${l.uuid}`)).status, 204);
    } finally {
      sim.kill('SIGTERM');
    }
  });

  test('20% of the BMCs silent at once: one incident, no maintenance; a single silent BMC: maintenance; all clear by themselves', async () => {
    for (const b of farm.bmcs) {
      const r = await anvil.api('POST', '/nodes', {
        name: `out-${b.index}`,
        driver: 'ipmi',
        boot_interface: 'fake',
        deploy_interface: 'fake',
        driver_info: { ipmi_address: b.host, ipmi_port: b.port, ipmi_username: b.username, ipmi_password: b.password, ipmi_cipher_suite: 3 },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      uuids.push(r.body.uuid);
      assert.equal((await anvil.api('PUT', `/nodes/${r.body.uuid}/states/provision`, { target: 'manage' })).status, 202);
    }
    await until('every node manageable with a power state', async () => {
      const nodes = (await anvil.api('GET', '/nodes?fields=name,provision_state,power_state&limit=1000')).body.nodes as any[];
      const ours = nodes.filter((n) => n.name.startsWith('out-'));
      return ours.length === FLEET && ours.every((n) => n.provision_state === 'manageable' && n.power_state === 'power off');
    });
    const events = await fetch(`${anvil.url}/v1/anvil/events`);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let stream = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        stream += Buffer.from(value).toString();
      }
    })().catch(() => undefined);
    try {
      farm.setSilent(SILENT, true);
      const opened = await until('one open incident naming the 3 silent nodes', async () => {
        const open = await incidents('?state=open');
        return open.length === 1 && open[0].affected.length === SILENT.length ? open[0] : undefined;
      });
      assert.deepEqual(new Set(opened.nodes), new Set(SILENT.map((i) => uuids[i])));
      assert.equal(opened.diagnosis.code, 'bmc.outage');
      assert.match(opened.diagnosis.cause, /3 BMCs of conductor .* stopped answering in the same power sync round/);
      await until('the incident on the event stream', async () => stream.includes('event: bmc_incident'));
      const sent = JSON.parse(/event: bmc_incident\nid: \d+\ndata: (.*)\n/.exec(stream)?.[1] ?? '{}');
      assert.equal(sent.uuid, opened.uuid);

      // read again with backoff until each has failed as often as Ironic allows before maintenance (max retries + 1)
      await until('every silent node read 3 times', async () => {
        const [open] = await incidents('?state=open');
        return SILENT.every((i) => (open?.failed_reads[uuids[i]] ?? 0) >= 3);
      });
      for (const i of SILENT) assert.equal((await node(uuids[i])).maintenance, false, `node ${i} not in maintenance`);
      // a single BMC going silent now is Ironic's case: maintenance after power_state_sync_max_retries
      farm.setSilent([FLAKY], true);
      const flaky = await until('the single silent node in maintenance', async () => {
        const n = await node(uuids[FLAKY]);
        return n.maintenance ? n : undefined;
      });
      assert.equal(flaky.fault, 'power failure');
      assert.match(flaky.maintenance_reason, /max retries exceeded/);
      // ...while the 3 of the outage, still read again with backoff, are not
      for (const i of SILENT) assert.equal((await node(uuids[i])).maintenance, false, `node ${i} not in maintenance`);
      assert.equal((await incidents('?state=open')).length, 1, 'still one incident');

      farm.setSilent([...SILENT, FLAKY], false);
      const resolved = await until('the incident resolved by itself', async () => {
        const all = await incidents();
        return all[0]?.state === 'resolved' ? all[0] : undefined;
      });
      assert.equal(resolved.uuid, opened.uuid);
      assert.deepEqual(resolved.nodes, []);
      assert.equal(resolved.affected.length, SILENT.length);
      assert.ok(resolved.resolved_at);
      await until('power failure recovery to clear the single node', async () => (await node(uuids[FLAKY])).maintenance === false);
      const nodes = (await anvil.api('GET', '/nodes?fields=name,maintenance,power_state&limit=1000')).body.nodes as any[];
      assert.deepEqual(nodes.filter((n) => n.name.startsWith('out-') && (n.maintenance || n.power_state !== 'power off')), [], 'nothing left in maintenance or without power state');
      // bad input gets Ironic's error format
      const bad = await anvil.api('GET', '/anvil/bmc-incidents?state=sideways');
      assert.equal(bad.status, 400);
      assert.match(JSON.parse(bad.body.error_message).faultstring, /Invalid state 'sideways'/);
    } finally {
      await reader.cancel().catch(() => undefined);
      await pump;
    }
  });
});
