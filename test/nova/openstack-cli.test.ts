/**
 * The real `openstack` CLI (python-openstackclient + novaclient, Debian; scripts/services/openstackclient.sh)
 * drives the whole server lifecycle against Anvil's compute API (`anvil server`, fake-hardware): flavor with
 * extra specs, keypair, server create --wait (image resolved by name through /image), list, show, reboot
 * soft/hard, stop/start, rescue/unrescue, rebuild, availability zones, microversions, No valid host, delete.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAnvil } from './anvil-process.ts';
import { compute } from './compute-fleet.ts';
import { api, enrollFakeNode, waitNode } from './fake-nodes.ts';
import { until } from '../wait.ts';

const cli = process.env.ANVIL_OPENSTACK_CLI;

test('openstack server create/list/show/reboot/stop/start/rescue/unrescue/rebuild/delete against Anvil', { timeout: 300_000 }, async (t) => {
  assert.ok(cli, 'ANVIL_OPENSTACK_CLI is not set: run scripts/services/openstackclient.sh start (installs python3-openstackclient)');
  const anvil = await startAnvil();
  const dir = mkdtempSync(join(tmpdir(), 'osc-'));
  const clouds = join(dir, 'clouds.yaml');
  // noauth: the compute endpoint is the auth endpoint (novaclient), the image service its /image (openstacksdk)
  writeFileSync(clouds, `clouds:\n  anvil:\n    auth_type: none\n    auth:\n      endpoint: ${anvil.computeUrl}/v2.1\n    compute_endpoint_override: ${anvil.computeUrl}/v2.1/\n    image_endpoint_override: ${anvil.computeUrl}/image/\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'anvil' };
  for (const k of Object.keys(env)) if (/^OS_(AUTH|ENDPOINT|URL|TOKEN|USER|PASS|PROJECT)/.test(k)) delete env[k];
  const osc = (...args: string[]): Promise<{ code: number; out: any; err: string }> =>
    new Promise((resolve) => {
      execFile(cli!, args, { env, timeout: 120_000 }, (e, stdout, stderr) => {
        let out: any = stdout;
        try {
          out = JSON.parse(stdout);
        } catch {
          /* not JSON */
        }
        resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err: stderr });
      });
    });
  const ok = async (...args: string[]) => {
    const r = await osc(...args);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  // waits poll the compute API directly (each `openstack` run costs seconds of Python start-up)
  const status = async (name: string, want: string) => {
    let s: any;
    return until(
      `${name} to be ${want}`,
      async () => {
        [s] = (await compute(anvil.computeUrl, 'GET', `/v2.1/servers/detail?name=^${name}$`)).servers;
        return s?.status === want && !s['OS-EXT-STS:task_state'] && s;
      },
      60_000,
      () => `${s?.status}/${s?.['OS-EXT-STS:task_state']}`,
      200,
    );
  };
  try {
    const rc = `osc-${randomUUID().slice(0, 6)}`;
    const cls = `CUSTOM_${rc.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const node = await enrollFakeNode(anvil.url, { name: rc, resourceClass: rc });
    const f = await ok('flavor', 'create', '--vcpus', '1', '--ram', '1', '--disk', '1', '--property', `resources:${cls}=1`, '--property', 'resources:VCPU=0', 'bm', '-f', 'json');
    assert.match(f.properties ? JSON.stringify(f.properties) : '', new RegExp(cls));
    await ok('flavor', 'create', '--vcpus', '1', '--ram', '1', '--disk', '1', '--property', 'resources:CUSTOM_NOWHERE=1', 'none', '-f', 'json');
    await compute(anvil.computeUrl, 'POST', '/image/v2/images', { name: 'disk', url: 'http://127.0.0.1:9/disk.raw', checksum: 'c0ffee', disk_format: 'raw' });
    // no --public-key: Anvil generates one and returns the private key once, as Nova does
    assert.match(await ok('keypair', 'create', 'k1'), /-----BEGIN RSA PRIVATE KEY-----/);
    assert.match((await ok('keypair', 'show', 'k1', '-f', 'json')).fingerprint, /^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
    const ud = join(dir, 'user-data');
    writeFileSync(ud, '#cloud-config\nhostname: vm1\n');

    const made = await ok('server', 'create', '--flavor', 'bm', '--image', 'disk', '--key-name', 'k1', '--property', 'role=web', '--user-data', ud, '--wait', 'vm1', '-f', 'json');
    assert.equal(made.status, 'ACTIVE');
    assert.equal(made['OS-EXT-SRV-ATTR:hypervisor_hostname'], node.uuid);
    const n = await api(anvil.url, 'GET', `/v1/nodes/${node.uuid}`);
    assert.equal(n.instance_uuid, made.id);
    assert.equal(n.provision_state, 'active');
    assert.equal(n.instance_info.image_source, 'http://127.0.0.1:9/disk.raw');
    assert.equal(n.instance_info.image_checksum, 'c0ffee');

    const list = await ok('server', 'list', '-f', 'json');
    assert.deepEqual(
      list.map((s: { Name: string; Status: string; Image: string; Flavor: string }) => [s.Name, s.Status, s.Image, s.Flavor]),
      [['vm1', 'ACTIVE', 'disk', 'bm']],
    );
    const shown = await ok('server', 'show', 'vm1', '-f', 'json');
    assert.equal(shown.key_name, 'k1');
    assert.match(JSON.stringify(shown.properties), /role/);
    const v47 = await ok('--os-compute-api-version', '2.47', 'server', 'show', 'vm1', '-f', 'json');
    assert.match(JSON.stringify(v47.flavor), /bm/);
    const tooNew = await osc('--os-compute-api-version', '2.99', 'server', 'list');
    assert.notEqual(tooNew.code, 0);
    t.diagnostic('create, list, show ok');

    // --wait polls every 5 s; the test polls `server show` itself where it can
    await ok('server', 'reboot', '--wait', 'vm1');
    await ok('server', 'reboot', '--hard', 'vm1');
    await status('vm1', 'ACTIVE');
    assert.equal((await api(anvil.url, 'GET', `/v1/nodes/${node.uuid}`)).power_state, 'power on');
    await ok('server', 'stop', 'vm1');
    await status('vm1', 'SHUTOFF');
    assert.equal((await api(anvil.url, 'GET', `/v1/nodes/${node.uuid}`)).power_state, 'power off');
    await ok('server', 'start', 'vm1');
    await status('vm1', 'ACTIVE');
    await ok('server', 'rescue', 'vm1');
    await status('vm1', 'RESCUE');
    assert.equal((await api(anvil.url, 'GET', `/v1/nodes/${node.uuid}`)).provision_state, 'rescue');
    await ok('server', 'unrescue', 'vm1');
    await status('vm1', 'ACTIVE');
    await ok('server', 'rebuild', '--image', 'disk', 'vm1', '-f', 'json');
    assert.equal((await status('vm1', 'ACTIVE'))['OS-EXT-SRV-ATTR:hypervisor_hostname'], node.uuid);
    t.diagnostic('reboot, stop/start, rescue/unrescue, rebuild ok');

    const az = await ok('availability', 'zone', 'list', '--compute', '-f', 'json');
    assert.deepEqual(az.map((z: { 'Zone Name': string; 'Zone Status': string }) => [z['Zone Name'], z['Zone Status']]), [['nova', 'available']]);

    // (openstackclient 6 ends `create --wait` on ERROR with a bare SystemExit: status 0 and this line)
    const nvh = await osc('server', 'create', '--flavor', 'none', '--image', 'disk', '--wait', 'vm2');
    assert.match(nvh.out + nvh.err, /Error creating server/);
    const vm2 = await status('vm2', 'ERROR');
    assert.match(JSON.stringify(vm2.fault), /No valid host was found/);

    await ok('server', 'delete', '--wait', 'vm1', 'vm2');
    assert.deepEqual(await ok('server', 'list', '-f', 'json'), []);
    const after = await waitNode(anvil.url, node.uuid, (x) => x.provision_state === 'available' && x.instance_uuid === null, 'released');
    assert.equal(after.instance_uuid, null);
  } catch (err) {
    t.diagnostic(anvil.output().slice(-3000));
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await anvil.stop();
  }
});
