/**
 * The `anvil server …` / `anvil flavor …` commands end to end (child processes, -f json) against Anvil itself
 * (`anvil server` with fake-hardware, event-driven waits).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type RunningAnvil, startAnvil } from './anvil-process.ts';
import { api, enrollFakeNode } from './fake-nodes.ts';
const root = new URL('../../', import.meta.url).pathname;

function anvil(args: string[]): Promise<{ code: number; out: any; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'cli/bin/anvil.js'), ...args], { cwd: root }, (err, stdout, stderr) => {
      let out: any = stdout;
      try {
        out = JSON.parse(stdout);
      } catch {
        /* table output */
      }
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, stderr });
    });
  });
}


test('anvil server create/list/reboot/stop/start/rescue/rebuild/delete via the CLI', { timeout: 180_000 }, async (t) => {
  const anvilProc: RunningAnvil = await startAnvil();
  const url = anvilProc.url;
  const dir = mkdtempSync(join(tmpdir(), 'nova-cli-'));
  const sfx = randomUUID().slice(0, 8);
  const common = ['--compute-endpoint', anvilProc.computeUrl, '-f', 'json'];
  try {
    const f = await anvil(['flavor', 'create', 'bm', '--resource-class', `cli-${sfx}`, '--property', 'capabilities:boot_mode=uefi', '--vcpus', '8', ...common]);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(f.out.extra_specs[`resources:CUSTOM_CLI_${sfx.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`], '1');

    // nothing of that class exists yet: No valid host, exit 1, JSON with the reason list
    const nvh = await anvil(['server', 'create', 'vm0', '--flavor', 'bm', '--image', 'http://127.0.0.1:9/x.raw', ...common]);
    assert.equal(nvh.code, 1);
    assert.equal(nvh.out.error, 'NoValidHost');
    assert.ok(Array.isArray(nvh.out.rejected));
    assert.match(nvh.out.message, /No valid host was found/);
    const unknownImage = await anvil(['server', 'create', 'vmx', '--flavor', 'bm', '--image', randomUUID(), ...common]);
    assert.equal(unknownImage.code, 1);
    assert.match(unknownImage.out.message, /^Image .* could not be found\.$/);

    const node = await enrollFakeNode(url, { name: `cli-${sfx}`, resourceClass: `cli-${sfx}` });
    const ud = join(dir, 'user-data');
    writeFileSync(ud, '#cloud-config\n');
    const vif = randomUUID();
    const imgUrl = 'http://127.0.0.1:9/images/disk.raw';
    const im = await anvil(['image', 'create', 'disk', '--url', imgUrl, '--checksum', 'c0ffee', '--disk-format', 'raw', ...common]);
    assert.equal(im.code, 0, im.stderr);
    const c = await anvil(['server', 'create', '--name', 'vm1', '--flavor', 'bm', '--image', 'disk', '--nic', `port-id=${vif}`, '--user-data', ud, '--config-drive', 'true', ...common]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.out.status, 'ACTIVE');
    assert.equal(c.out.node, node.uuid);
    assert.deepEqual(c.out.networks, [vif]);
    const deployed = await api(url, 'GET', `/v1/nodes/${node.uuid}`);
    assert.equal(deployed.instance_uuid, c.out.id);
    assert.equal(deployed.instance_info.image_source, imgUrl);
    assert.equal(deployed.instance_info.image_checksum, 'c0ffee');
    assert.equal(deployed.instance_info.image_disk_format, 'raw');

    const list = await anvil(['server', 'list', ...common]);
    assert.deepEqual(
      list.out.map((s: { Name: string; Status: string }) => [s.Name, s.Status]), // cliff's list json: the column headers
      [
        ['vm0', 'ERROR'],
        ['vm1', 'ACTIVE'],
      ],
    );
    const steps: [string[], string, string][] = [
      [['reboot', 'vm1', '--hard'], 'ACTIVE', 'power on'],
      [['stop', 'vm1'], 'SHUTOFF', 'power off'],
      [['start', 'vm1'], 'ACTIVE', 'power on'],
      [['rescue', 'vm1', '--password', 'pw'], 'RESCUE', 'rescue'],
      [['unrescue', 'vm1'], 'ACTIVE', 'active'],
      [['rebuild', 'vm1', '--preserve-ephemeral'], 'ACTIVE', 'active'],
    ];
    for (const [args, status, nodeState] of steps) {
      const r = await anvil(['server', ...args, ...common]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr} ${JSON.stringify(r.out)}`);
      assert.equal(r.out.status, status, args.join(' '));
      const n = await api(url, 'GET', `/v1/nodes/${node.uuid}`);
      assert.ok([n.power_state, n.provision_state].includes(nodeState), `${args.join(' ')}: node ${n.power_state}/${n.provision_state}`);
    }
    const d = await anvil(['server', 'delete', 'vm1', ...common]);
    assert.equal(d.code, 0, d.stderr);
    const n = await api(url, 'GET', `/v1/nodes/${node.uuid}`);
    assert.equal(n.instance_uuid, null);
    assert.ok(['available', 'cleaning'].includes(n.provision_state));
    const show = await anvil(['server', 'show', 'vm1', ...common]);
    assert.equal(show.code, 1);
    assert.equal(show.out.error, 'NotFound');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await anvilProc.stop();
  }
});
