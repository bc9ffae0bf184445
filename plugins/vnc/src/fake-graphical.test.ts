/** fake-graphical against an in-memory task: what enable/disable leave in driver_internal_info, per provider. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Task } from '@anvil/sdk';
import factory from './fake-graphical.ts';
import { publicUrl } from './public-url.ts';

function makeTask(config: Record<string, unknown>) {
  const node: any = { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', driver: 'fake-hardware', driver_internal_info: { keep: 1 } };
  const task = {
    node,
    config,
    async setInternalInfo(values: Record<string, unknown>) {
      for (const [k, v] of Object.entries(values)) {
        if (v === null) delete node.driver_internal_info[k];
        else node.driver_internal_info[k] = v;
      }
    },
  };
  return task as unknown as Task & { node: any };
}

test("provider fake: Ironic's 192.0.2.1:5900, a token, the console URL; disable removes them", async () => {
  const console = factory({} as never);
  const task = makeTask({ vnc_public_url: 'http://console.example:6090/vnc_auto.html' });
  await console.startConsole(task);
  const dii = task.node.driver_internal_info;
  assert.deepEqual([dii.vnc_host, dii.vnc_port, dii.keep], ['192.0.2.1', 5900, 1]);
  assert.match(dii.novnc_secret_token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(dii.novnc_secret_token_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  assert.deepEqual(await console.getConsole(task), {
    type: 'vnc',
    url: `http://console.example:6090/vnc_auto.html?path=websockify%3Fnode%3D${task.node.uuid}%26token%3D${dii.novnc_secret_token}`,
  });
  await console.stopConsole(task);
  assert.deepEqual(task.node.driver_internal_info, { keep: 1 });
});

test('provider simulated: a VNC server per console on 127.0.0.1 that speaks RFB, gone after disable', async () => {
  const console = factory({} as never);
  const task = makeTask({ vnc_container_provider: 'simulated' });
  await console.startConsole(task);
  const { vnc_host: host, vnc_port: port } = task.node.driver_internal_info;
  assert.equal(host, '127.0.0.1');
  const greeting = await new Promise<string>((resolve, reject) => {
    const s = connect({ host, port }, () => undefined);
    s.once('data', (d) => (resolve(d.toString('latin1')), s.destroy()));
    s.once('error', reject);
  });
  assert.equal(greeting, 'RFB 003.008\n');
  await console.stopConsole(task);
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => (s.destroy(), resolve(null)));
      s.once('error', reject);
    }),
    { code: 'ECONNREFUSED' },
  );
});

test('publicUrl: vnc_public_url, else the proxy address (an unspecified bind address → loopback)', () => {
  assert.equal(publicUrl({ vnc_public_url: 'https://x/vnc.html' }), 'https://x/vnc.html');
  assert.equal(publicUrl({ host: '127.0.0.1' }), 'http://127.0.0.1:6090/vnc_auto.html');
  assert.equal(publicUrl({ host: '127.0.0.1', vnc_host_ip: '0.0.0.0', vnc_port: 7000 }), 'http://127.0.0.1:7000/vnc_auto.html');
  assert.equal(publicUrl({ vnc_host_ip: '::1' }), 'http://[::1]:6090/vnc_auto.html');
});
