/** Ironic's RFB security proxy sequence, both sides in memory: what the tenant and the VNC server each see. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteQueue } from './byte-queue.ts';
import { negotiateSecurity, SecurityProxyNegotiationFailed } from './security-proxy.ts';

function side() {
  const inbox = new ByteQueue(); // what the proxy reads from this side
  const sent: Buffer[] = []; // what the proxy wrote to it
  return { inbox, sent, channel: { read: (n: number) => inbox.read(n), write: (b: Buffer) => void sent.push(b) } };
}

test('3.8 on both sides, server offers VNC auth and None: tenant sees [None], server is told None', async () => {
  const tenant = side();
  const host = side();
  host.inbox.push(Buffer.from('RFB 003.008\n'));
  host.inbox.push(Buffer.from([2, 2, 1]));
  tenant.inbox.push(Buffer.from('RFB 003.008\n'));
  tenant.inbox.push(Buffer.from([1]));
  await negotiateSecurity(tenant.channel, host.channel);
  assert.deepEqual(tenant.sent, [Buffer.from('RFB 003.008\n'), Buffer.from([1, 1])]);
  assert.deepEqual(host.sent, [Buffer.from('RFB 003.008\n'), Buffer.from([1])]);
});

test('refusals: server not 3.8, tenant not 3.8, tenant wants VNC auth, server without None, server refusing', async () => {
  const run = async (hostBytes: Buffer[], tenantBytes: Buffer[]) => {
    const tenant = side();
    const host = side();
    for (const b of hostBytes) host.inbox.push(b);
    for (const b of tenantBytes) tenant.inbox.push(b);
    const err = await negotiateSecurity(tenant.channel, host.channel).then(() => null, (e) => e);
    assert.ok(err instanceof SecurityProxyNegotiationFailed, String(err));
    return { err: err as Error, tenant: Buffer.concat(tenant.sent), host: Buffer.concat(host.sent) };
  };
  const v38 = Buffer.from('RFB 003.008\n');
  assert.match((await run([Buffer.from('RFB 003.003\n')], [])).err.message, /requires RFB protocol version 3.8, but server sent RFB 003.003/);
  assert.match((await run([v38], [Buffer.from('RFB 003.007\n')])).err.message, /but tenant asked for RFB 003.007/);
  const vncAuth = await run([v38, Buffer.from([1, 1])], [v38, Buffer.from([2])]);
  assert.match(vncAuth.err.message, /Client requested a security type other than 1 \(NONE\): 2/);
  assert.deepEqual(vncAuth.host.subarray(12), Buffer.from([0]), 'the server is sent the Invalid type');
  assert.equal(vncAuth.tenant.subarray(14, 18).readUInt32BE(0), 1, 'SecurityResult failed');
  const noNone = await run([v38, Buffer.from([1, 2])], [v38, Buffer.from([1])]);
  assert.match(noNone.err.message, /No host auth available/);
  assert.ok(noNone.tenant.toString().endsWith('Unable to negotiate security with server'));
  const refused = await run([v38, Buffer.from([0, 0, 0, 0, 4]), Buffer.from('busy')], [v38]);
  assert.deepEqual(refused.tenant.subarray(12), Buffer.from([0, 0, 0, 0, 4, 0x62, 0x75, 0x73, 0x79]));
  assert.equal(refused.err.message, 'busy');
});
