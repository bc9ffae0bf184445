/**
 * Ironic 39's own console code (the PyPI `ironic==39.0.0` venv of scripts/services/ironic39.sh) run against what
 * Anvil produces: its vnc.get_console builds the same console_info from the same driver_internal_info, its
 * novnc_validate accepts Anvil's token and timestamp (and refuses a wrong token), and its RFBSecurityProxy (what
 * ironic-novncproxy puts between browser and console) negotiates with Anvil's simulated VNC server and gets
 * ServerInit through it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGraphicalConsole, type RfbServer, startRfbServer } from '@anvil/plugin-vnc';
import { failWithout } from '../prereq.ts';

const root = new URL('../../', import.meta.url).pathname;
const python = join(process.env.ANVIL_TMP ?? join(root, '.tmp'), 'ironic39-venv/bin/python');
failWithout(!existsSync(python) && `Ironic 39's venv (${python}: bash scripts/services/ironic39.sh start)`);

const PY = String.raw`
import json, socket, sys
from ironic.conf import CONF
CONF([], project='ironic', default_config_files=[])
from ironic.common import exception, vnc
from ironic.console.securityproxy import rfb

args = json.loads(sys.argv[1])
CONF.set_override('public_url', args['public_url'], group='vnc')
class Node: pass
node = Node()
node.uuid = args['uuid']
node.driver_internal_info = args['dii']
out = {'console': vnc.get_console(node)}
vnc.novnc_validate(node, args['dii']['novnc_secret_token'])
try:
    vnc.novnc_validate(node, 'not-the-token')
    out['wrong_token'] = 'accepted'
except exception.NotAuthorized:
    out['wrong_token'] = 'NotAuthorized'

class Tenant:
    """the browser side: sends its version and picks None; records what the proxy tells it"""
    def __init__(self):
        self.inbox = b'RFB 003.008\n' + bytes([1])
        self.got = b''
    def recv(self, n):
        b, self.inbox = self.inbox[:n], self.inbox[n:]
        return b
    def sendall(self, b):
        self.got += b

host = socket.create_connection((args['dii']['vnc_host'], args['dii']['vnc_port']))
tenant = Tenant()
sock = rfb.RFBSecurityProxy().connect(tenant, host)
out['tenant_saw'] = tenant.got.hex()
def recv_exact(n):
    b = b''
    while len(b) < n:
        c = sock.recv(n - len(b))
        if not c: break
        b += c
    return b
out['security_result'] = recv_exact(4).hex()
sock.sendall(bytes([1]))
init = recv_exact(24)
out['server_name'] = recv_exact(int.from_bytes(init[20:24], 'big')).decode()
out['size'] = [int.from_bytes(init[0:2], 'big'), int.from_bytes(init[2:4], 'big')]
print(json.dumps(out))
`;

let server: RfbServer;
before(async () => {
  server = await startRfbServer({ name: 'fake console of peer-test' });
});
after(async () => {
  await server?.close();
});

test("Ironic 39's get_console, novnc_validate and RFB security proxy accept Anvil's console", { timeout: 60_000 }, async () => {
  const uuid = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
  const publicUrl = 'http://127.0.0.1:6090/vnc_auto.html';
  // Anvil's fake-graphical enabling a console, its VNC endpoint being this server
  const dii: Record<string, unknown> = {};
  const task = {
    node: { uuid, driver_internal_info: dii },
    config: { vnc_public_url: publicUrl, vnc_container_provider: 'fake' },
    setInternalInfo: async (v: Record<string, unknown>) => void Object.assign(dii, v),
  };
  const iface = new FakeGraphicalConsole();
  await iface.startConsole(task as never);
  Object.assign(dii, { vnc_host: server.host, vnc_port: server.port });
  const ours = await iface.getConsole(task as never);

  // not spawnSync: the VNC server answering Ironic's proxy lives in this process's event loop
  const r = await promisify(execFile)(python, ['-c', PY, JSON.stringify({ uuid, public_url: publicUrl, dii })], { encoding: 'utf8', timeout: 50_000 }).catch(
    (err: { stderr?: string; message: string }) => assert.fail(`Ironic 39's python failed: ${err.message}\n${err.stderr ?? ''}`),
  );
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out.console, ours, "Ironic's get_console from the same driver_internal_info");
  assert.equal(out.wrong_token, 'NotAuthorized');
  // the proxy told the browser: version 3.8, then one security type, None
  assert.equal(out.tenant_saw, `${Buffer.from('RFB 003.008\n').toString('hex')}0101`);
  assert.equal(out.security_result, '00000000');
  assert.equal(out.server_name, 'fake console of peer-test');
  assert.deepEqual(out.size, [640, 480]);
});
