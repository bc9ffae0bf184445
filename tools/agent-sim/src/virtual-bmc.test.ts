/**
 * A virtual BMC whose session-setup answers get lost: the console (the native client) sends Open Session, RAKP 1
 * and RAKP 3 again, and the BMC answers each the same way again — the session opens, one slot used, no "invalid
 * session ID" (seen at 10,000 nodes on a loaded machine before: bench/README.md). A UDP relay between client and
 * BMC drops the first answer of each setup message.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { IpmiClient, PayloadType, UdpTransport } from 'ipmi-lan-ts';
import { BmcFarm } from './bmc-farm.ts';

test('setup answers lost once each: the retried messages get the same answers, one session slot', async () => {
  const farm = await BmcFarm.start({ count: 1 });
  const b = farm.bmcs[0];
  const relay = createSocket('udp4');
  await new Promise<void>((r) => relay.bind(0, '127.0.0.1', () => r()));
  let client: { port: number; address: string } | null = null;
  const dropped = new Set<number>();
  relay.on('message', (msg, from) => {
    if (from.port !== b.port) {
      client = from;
      relay.send(msg, b.port, b.host);
      return;
    }
    const type = msg[4] === 0x06 ? msg[5] & 0x3f : -1;
    const setup = [PayloadType.OPEN_SESSION_RESPONSE, PayloadType.RAKP2, PayloadType.RAKP4] as number[];
    if (setup.includes(type) && !dropped.has(type)) {
      dropped.add(type); // the first answer of each setup step is lost
      return;
    }
    if (client) relay.send(msg, client.port, client.address);
  });
  const transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
  const ipmi = new IpmiClient({ host: '127.0.0.1', port: relay.address().port, username: b.username, password: b.password, transport, cipherSuite: 17, timeoutMs: 200, retries: 3 });
  try {
    await ipmi.chassisControl('on');
    assert.equal(b.bmc.power, 'on');
    assert.deepEqual([...dropped].sort(), [PayloadType.OPEN_SESSION_RESPONSE, PayloadType.RAKP2, PayloadType.RAKP4]);
    assert.equal(b.bmc.openSessions, 1, 'the repeated Open Session did not take a second slot');
    assert.equal(await ipmi.powerState(), 'on');
  } finally {
    await ipmi.close();
    await transport.close();
    relay.close();
    await farm.stop();
  }
});
