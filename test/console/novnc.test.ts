/**
 * The graphical console end to end, as a browser's noVNC uses it: `anvil server` with the noVNC proxy
 * (vnc_enabled) and the simulated console provider; a fake-hardware node with Ironic 39's `fake-graphical`
 * console interface; its console_info URL opens noVNC's page (Debian's novnc files) and a real WebSocket client
 * from npm (`ws`) speaks RFB 3.8 through the proxy to the node's VNC server and gets the test card; wrong tokens
 * and disabled consoles are refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { ByteQueue } from '@anvil/plugin-vnc';
import { type AnvilServer, startServer } from '../anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const web = process.env.ANVIL_TEST_NOVNC_WEB;
failWithout(!web && "noVNC's web files (bash scripts/services/novnc.sh start; export its env)");

let anvil: AnvilServer;
const V = '1.96';

before(async () => {
  // vnc_port 0: the proxy takes a free port itself (no window for another process to take one chosen here);
  // console_info's URL says which
  anvil = await startServer({
    settings: {
      vnc_enabled: true, vnc_port: 0, vnc_novnc_web: web!, vnc_container_provider: 'simulated',
      enabled_console_interfaces: 'fake,no-console,fake-graphical', enabled_hardware_types: 'fake-hardware',
    },
  });
});

after(async () => {
  await anvil?.stop();
});

async function consoleState(uuid: string, enabled: boolean) {
  const put = await anvil.api('PUT', `/nodes/${uuid}/states/console`, { enabled }, V);
  assert.equal(put.status, 202, JSON.stringify(put.body));
  return until(`console_enabled=${enabled}`, async () => {
    const r = await anvil.api('GET', `/nodes/${uuid}/states/console`, undefined, V);
    return r.body.console_enabled === enabled && r.body;
  }, 30_000, anvil.output);
}

/** a WebSocket to the proxy; resolves once open, with every binary message queued as bytes */
function openConsole(url: string): Promise<{ ws: WebSocket; q: ByteQueue; closed: Promise<number> }> {
  const ws = new WebSocket(url, ['binary']);
  const q = new ByteQueue();
  ws.on('message', (d: Buffer) => q.push(Buffer.from(d)));
  const closed = new Promise<number>((res) => ws.on('close', (code) => (q.close(), res(code))));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, q, closed }));
    ws.on('error', reject); // before open: the upgrade failed; after: the close event follows
  });
}

test('fake-graphical console: enable → VNC endpoint and token; noVNC page; RFB 3.8 through the proxy; disable → refused', { timeout: 90_000 }, async () => {
  const created = await anvil.api('POST', '/nodes', { driver: 'fake-hardware', console_interface: 'fake-graphical' }, V);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const uuid = created.body.uuid;
  assert.equal(created.body.console_interface, 'fake-graphical');

  const on = await consoleState(uuid, true);
  assert.equal(on.console_info.type, 'vnc');
  const pageUrl = new URL(on.console_info.url);
  const vncPort = Number(pageUrl.port);
  assert.ok(anvil.output().includes(`noVNC proxy listening on http://127.0.0.1:${vncPort}`), anvil.output());
  assert.equal(`${pageUrl.origin}${pageUrl.pathname}`, `http://127.0.0.1:${vncPort}/vnc_auto.html`);
  const path = pageUrl.searchParams.get('path')!;
  const dii = (await anvil.api('GET', `/nodes/${uuid}`, undefined, V)).body.driver_internal_info;
  assert.equal(dii.vnc_host, '127.0.0.1');
  assert.ok(dii.vnc_port > 0);
  assert.equal(path, `websockify?node=${uuid}&token=${dii.novnc_secret_token}`);

  // noVNC's page, as tempest's validate_novnc_html fetches it
  const page = await fetch(on.console_info.url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<html.*>/);
  assert.ok(html.includes('</html>') && html.includes('noVNC') && html.includes('<script'));
  assert.equal((await fetch(`http://127.0.0.1:${vncPort}/core/`)).status, 404, 'no directory listings');
  assert.equal((await fetch(`http://127.0.0.1:${vncPort}/..%2f..%2fetc%2fpasswd`)).status, 404);

  // the RFB session through the proxy: version, security None, SecurityResult, ServerInit, a full update
  const { ws, q, closed } = await openConsole(`ws://127.0.0.1:${vncPort}/${path}`);
  assert.equal(ws.protocol, 'binary');
  assert.equal((await q.read(12)).toString(), 'RFB 003.008\n');
  ws.send(Buffer.from('RFB 003.008\n'));
  assert.deepEqual(await q.read(2), Buffer.from([1, 1]));
  ws.send(Buffer.from([1]));
  assert.deepEqual(await q.read(4), Buffer.from([0, 0, 0, 0]));
  ws.send(Buffer.from([1])); // ClientInit, shared
  const init = await q.read(24);
  const [w, h] = [init.readUInt16BE(0), init.readUInt16BE(2)];
  const name = (await q.read(init.readUInt32BE(20))).toString();
  assert.equal(name, `fake console of ${uuid}`);
  ws.send(Buffer.from([3, 0, 0, 0, 0, 0, w >> 8, w & 255, h >> 8, h & 255])); // FramebufferUpdateRequest, not incremental
  const head = await q.read(16);
  assert.deepEqual([head[0], head.readUInt16BE(2), head.readUInt16BE(8), head.readUInt16BE(10), head.readInt32BE(12)], [0, 1, w, h, 0]);
  const pixels = await q.read(w * h * 4);
  assert.deepEqual([...pixels.subarray(0, 4)], [192, 192, 192, 0], 'first bar (little-endian BGRX of the default pixel format)');
  ws.close();
  await closed;

  // someone else's token: the proxy drops the connection before any RFB byte
  const bad = await openConsole(`ws://127.0.0.1:${vncPort}/websockify?node=${uuid}&token=not-the-token`);
  await bad.closed;
  assert.equal(bad.q.take().length, 0);

  const off = await consoleState(uuid, false);
  assert.equal(off.console_info, null);
  const after = (await anvil.api('GET', `/nodes/${uuid}`, undefined, V)).body.driver_internal_info;
  for (const k of ['vnc_host', 'vnc_port', 'novnc_secret_token', 'novnc_secret_token_created']) assert.equal(k in after, false, k);
  const stale = await openConsole(`ws://127.0.0.1:${vncPort}/${path}`);
  await stale.closed;
  assert.equal(stale.q.take().length, 0, 'the old token no longer opens the console');
});
