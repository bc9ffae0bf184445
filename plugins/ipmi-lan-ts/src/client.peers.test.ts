/**
 * The native client against two independent BMC implementations on 127.0.0.1 (OpenIPMI ipmi_sim, and a pyghmi
 * BMC), each command cross-checked with `ipmitool -I lanplus` against the same simulator and with the state the
 * simulator itself recorded. Skips (with the reason) when a peer is not installed here.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { IpmiClient } from './client.ts';
import { IpmiAuthError, IpmiBusyError, IpmiCipherSuiteError, IpmiClosedError, IpmiCompletionError, IpmiTimeoutError } from './errors.ts';
import { freeUdpPort, ipmitool, missingIpmiSim, missingIpmitool, missingPyghmi, type Peer, startIpmiSim, startPyghmi } from './testing/peers.ts';
import { UdpTransport } from './transport.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually(fn: () => boolean, what: string, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return;
    await wait(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const peers: { name: string; start: () => Promise<Peer>; missing: string | null }[] = [
  { name: 'ipmi_sim', start: startIpmiSim, missing: missingIpmiSim() ?? missingIpmitool() },
  { name: 'pyghmi', start: startPyghmi, missing: missingPyghmi() ?? missingIpmitool() },
];

for (const p of peers) {
  describe(`native client against ${p.name}`, () => {
    // no silent skips: a missing peer fails every test here, naming it
    before(() => {
      const missing = p.missing;
      if (missing) throw new Error(`missing prerequisite: ${missing}`);
    });
    let peer: Peer;
    let transport: UdpTransport;
    const extra: UdpTransport[] = [];
    before(async () => {
      peer = await p.start();
      transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
    });
    after(async () => {
      for (const t of extra) await t.close();
      await transport?.close();
      await peer?.stop();
    });
    // pyghmi's server binds a session to the client's address and port (a real BMC uses the session id), so there
    // each client gets its own socket; against ipmi_sim every session shares one socket.
    const client = async (o: Partial<ConstructorParameters<typeof IpmiClient>[0]> = {}) => {
      let tr = transport;
      if (p.name === 'pyghmi') extra.push((tr = await UdpTransport.open({ bindAddress: '127.0.0.1' })));
      return new IpmiClient({ host: peer.host, port: peer.port, username: peer.username, password: peer.password, transport: tr, timeoutMs: 400, retries: 2, ...o });
    };

    for (const suite of [3, 17]) {
      test(`cipher suite ${suite}: power on/off/cycle/reset/soft, boot devices, cross-checked with ipmitool`, async (t) => {
        if (!peer.suites.includes(suite)) {
          // the peer lacks the suite: both ipmitool and the native client must say so
          const c = await client({ cipherSuite: suite });
          await assert.rejects(c.connect(), IpmiCipherSuiteError);
          await assert.rejects(ipmitool(peer, suite, 'power', 'status'));
          t.diagnostic(`${p.name} has no suite ${suite}: refused by both clients`);
          return;
        }
        const c = await client({ cipherSuite: suite });
        await c.connect();
        assert.equal(c.cipherSuite, suite);
        const dev = await c.getDeviceId();
        assert.equal(dev.ipmiVersion, '2.0');

        await c.chassisControl('on');
        await eventually(() => peer.power() === 'on', 'peer records power on');
        assert.equal(await c.powerState(), 'on');
        assert.match(await ipmitool(peer, suite, 'power', 'status'), /Chassis Power is on/);

        await c.chassisControl('off');
        await eventually(() => peer.power() === 'off', 'peer records power off');
        assert.equal(await c.powerState(), 'off');
        assert.match(await ipmitool(peer, suite, 'power', 'status'), /Chassis Power is off/);

        await c.chassisControl('on');
        await eventually(() => peer.power() === 'on', 'power on again');
        const before = peer.actions().length;
        await c.chassisControl('cycle');
        // ipmi_sim cycles as "power 0" then, a second later, "power 1"; pyghmi records one "cycle"
        await eventually(() => peer.actions().length > before && peer.power() === 'on', 'power cycle completes', 5000);
        const mid = peer.actions().length;
        await c.chassisControl('reset');
        await eventually(() => peer.actions().length > mid, 'hard reset reaches the peer');
        assert.ok(peer.actions().slice(before).some((a) => /^(cycle|power 0)/.test(a)), peer.actions().join(','));
        assert.ok(peer.actions().slice(mid).some((a) => /^reset/.test(a)), peer.actions().join(','));
        assert.equal(await c.powerState(), 'on');

        await c.chassisControl('soft');
        await eventually(() => peer.power() === 'off', 'soft (ACPI) shutdown turns the peer off');
        assert.match(await ipmitool(peer, suite, 'power', 'status'), /Chassis Power is off/);

        // ipmitool changes power, the native client sees it
        await ipmitool(peer, suite, 'power', 'on');
        assert.equal(await c.powerState(), 'on');

        // boot device: persistent PXE in UEFI mode
        await c.setBootDevice('pxe', { persistent: true, efi: true });
        const b1 = await c.getBootOptions();
        assert.equal(b1.device, 'pxe');
        assert.equal(peer.boot().device, 'pxe');
        const ipx = await ipmitool(peer, suite, 'chassis', 'bootparam', 'get', '5');
        assert.match(ipx, /Force PXE/);
        if (peer.boot().persistent !== null) {
          assert.deepEqual(peer.boot(), { device: 'pxe', persistent: true, efi: true });
          assert.equal(b1.persistent, true);
          assert.equal(b1.efi, true);
          assert.match(ipx, /Options apply to all future boots/);
          assert.match(ipx, /BIOS EFI boot/);
        }
        // one-time disk, legacy
        await c.setBootDevice('disk', { persistent: false, efi: false });
        const b2 = await c.getBootOptions();
        assert.equal(b2.device, 'disk');
        const ipd = await ipmitool(peer, suite, 'chassis', 'bootparam', 'get', '5');
        assert.match(ipd, /Force Boot from default Hard-Drive/);
        if (peer.boot().persistent !== null) {
          assert.deepEqual(peer.boot(), { device: 'disk', persistent: false, efi: false });
          assert.equal(b2.persistent, false);
          assert.match(ipd, /Options apply to only next boot/);
        } else {
          assert.equal(peer.boot().device, 'default'); // ipmi_sim's chassis control names the disk "default"
        }
        if (peer.boot().persistent !== null) {
          // every other device, as the peer records it and as ipmitool decodes it
          const texts = { cdrom: /Force Boot from CD\/DVD/, bios: /Force Boot into BIOS Setup/, safe: /request Safe-Mode/ } as const;
          for (const [device, text] of Object.entries(texts)) {
            await c.setBootDevice(device as keyof typeof texts, { persistent: device === 'bios', efi: device !== 'safe' });
            assert.deepEqual(peer.boot(), { device, persistent: device === 'bios', efi: device !== 'safe' });
            assert.equal((await c.getBootOptions()).device, device);
            assert.match(await ipmitool(peer, suite, 'chassis', 'bootparam', 'get', '5'), text);
          }
          await ipmitool(peer, suite, 'chassis', 'bootdev', 'cdrom');
          assert.equal((await c.getBootOptions()).device, 'cdrom');
        }
        // ipmitool sets, the native client reads
        await ipmitool(peer, suite, 'chassis', 'bootdev', 'pxe');
        assert.equal((await c.getBootOptions()).device, 'pxe');
        await c.close();
        assert.equal(c.sessionState, 'closed');
        await assert.rejects(c.chassisStatus(), IpmiClosedError);
      });

      test(`cipher suite ${suite}: wrong password is an IpmiAuthError, as ipmitool also fails`, async () => {
        if (!peer.suites.includes(suite)) return;
        const c = await client({ cipherSuite: suite, password: 'not-the-password' });
        const err = await c.chassisStatus().then(
          () => assert.fail('should not authenticate'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof IpmiAuthError, String(err));
        assert.match(err.message, /password/);
        assert.doesNotMatch(err.message, /not-the-password/, 'the password never appears in errors');
        await assert.rejects(ipmitool({ ...peer, password: 'not-the-password' }, suite, 'power', 'status'));
        const u = await client({ cipherSuite: suite, username: 'nobody', timeoutMs: 200, retries: 1 });
        await assert.rejects(u.chassisStatus(), (e: unknown) => e instanceof IpmiAuthError || e instanceof IpmiTimeoutError);
      });
    }

    test('auto negotiation picks the strongest suite the BMC offers', async () => {
      const c = await client({ cipherSuite: 'auto' });
      await c.connect();
      assert.equal(c.cipherSuite, Math.max(...peer.suites));
      await c.close();
    });

    test('many sessions in parallel (one socket against ipmi_sim)', async () => {
      const clients = await Promise.all(Array.from({ length: 4 }, () => client({ cipherSuite: 3 })));
      const states = await Promise.all(clients.flatMap((c) => [c.chassisStatus(), c.chassisStatus(), c.getDeviceId()]));
      assert.equal(states.length, 12);
      const power = peer.power();
      for (const c of clients) assert.equal(await c.powerState(), power);
      await Promise.all(clients.map((c) => c.close()));
    });

    test('keep-alive holds an idle session open', async () => {
      const c = await client({ cipherSuite: 3, keepAliveMs: 150 });
      await c.connect();
      const tr = p.name === 'pyghmi' ? extra[extra.length - 1] : transport;
      const sent = tr.stats.sent;
      const got = tr.stats.received;
      await wait(700);
      assert.ok(tr.stats.sent > sent, 'keep-alive packets were sent while idle');
      assert.ok(tr.stats.received > got, 'and answered');
      assert.equal(c.sessionState, 'active');
      await c.chassisStatus();
      await c.close();
    });

    test('identify, raw requests and completion codes', async () => {
      const c = await client({ cipherSuite: 3 });
      await c.chassisIdentify({ seconds: 5 });
      await ipmitool(peer, 3, 'chassis', 'identify', '5');
      const data = await c.raw(0x06, 0x01);
      assert.ok(data.length >= 11);
      const cc = await c.raw(0x06, 0x7f).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(cc instanceof IpmiCompletionError && cc.completionCode === 0xc1, String(cc));
      if (p.name === 'pyghmi') {
        await assert.rejects(c.raw(0x30, 0x01), (e: unknown) => e instanceof IpmiBusyError && /busy/.test(e.message));
        await c.chassisControl('off');
        await assert.rejects(c.chassisControl('cycle'), (e: unknown) => e instanceof IpmiCompletionError && e.completionCode === 0xd5);
      } else {
        const pong = await c.asfPing();
        assert.equal(pong.ipmiSupported, true);
        // Get Channel Cipher Suites: every id ipmitool lists is in ours; 3 offered, 17 not (ipmi_sim has no SHA-256)
        const ours = await c.getChannelCipherSuites();
        const theirs = [...(await ipmitool(peer, 3, 'channel', 'getciphers', 'ipmi')).matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
        assert.ok(theirs.length > 3);
        for (const id of theirs) assert.ok(ours.includes(id), `suite ${id} listed by ipmitool`);
        assert.ok(ours.includes(3) && !ours.includes(17));
      }
      await c.close();
    });
  });
}

describe('one socket, both BMC implementations at once', () => {
  // no silent skips: a missing peer fails every test here, naming it
  before(() => {
    const missing = missingIpmiSim() ?? missingPyghmi();
    if (missing) throw new Error(`missing prerequisite: ${missing}`);
  });
  test('sessions to ipmi_sim and pyghmi share a socket', async () => {
    const [a, b] = await Promise.all([startIpmiSim(), startPyghmi()]);
    const transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
    try {
      const mk = (x: Peer, n: number) =>
        Array.from({ length: n }, () => new IpmiClient({ host: x.host, port: x.port, username: x.username, password: x.password, transport, timeoutMs: 400, retries: 2, cipherSuite: 3 }));
      const sims = mk(a, 3);
      const [py] = mk(b, 1);
      await Promise.all([...sims.map((c) => c.chassisControl('on')), py.chassisControl('off')]);
      const reads = await Promise.all([...sims.map((c) => c.powerState()), py.powerState(), ...sims.map((c) => c.getDeviceId())]);
      assert.deepEqual(reads.slice(0, 4), ['on', 'on', 'on', 'off']);
      assert.equal(a.power(), 'on');
      assert.equal(b.power(), 'off');
      await Promise.all([...sims, py].map((c) => c.close()));
    } finally {
      await transport.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('pyghmi BMC: Kg and restarts', () => {
  // no silent skips: a missing peer fails every test here, naming it
  before(() => {
    const missing = missingPyghmi() ?? missingIpmitool();
    if (missing) throw new Error(`missing prerequisite: ${missing}`);
  });
  // Not cross-checked with ipmitool: Debian's ipmitool 1.8.19 derives the SIK from the password even with -y
  // (it connects to a BMC without Kg while given -y, and fails against a BMC with one).
  test('BMC key Kg: the right key works, a wrong or missing key is an IpmiAuthError', async () => {
    const kg = '00112233445566778899aabbccddeeff01020304';
    const peer = await startPyghmi({ kgHex: kg });
    const transports: UdpTransport[] = [];
    const mk = async (k?: string) => {
      const t = await UdpTransport.open({ bindAddress: '127.0.0.1' });
      transports.push(t);
      return new IpmiClient({ host: peer.host, port: peer.port, username: 'admin', password: 'password', kg: k, cipherSuite: 17, transport: t, timeoutMs: 300, retries: 1 });
    };
    try {
      assert.equal(typeof (await (await mk(kg)).chassisStatus()).powerOn, 'boolean');
      await assert.rejects((await mk('ffffffffffffffffffffffffffffffffffffffff')).chassisStatus(), (e: unknown) => e instanceof IpmiAuthError && /Kg/.test(e.message));
      await assert.rejects((await mk()).chassisStatus(), IpmiAuthError);
    } finally {
      for (const t of transports) await t.close();
      await peer.stop();
    }
  });

  test('a session lost to a BMC restart is reopened once, transparently', async () => {
    let peer = await startPyghmi();
    const t = await UdpTransport.open({ bindAddress: '127.0.0.1' });
    try {
      const c = new IpmiClient({ host: peer.host, port: peer.port, username: 'admin', password: 'password', cipherSuite: 3, transport: t, timeoutMs: 200, retries: 1 });
      await c.chassisControl('on');
      const port = peer.port;
      await peer.stop();
      peer = await startPyghmi({ port });
      assert.equal(await c.powerState(), 'off', 'the new BMC starts powered off; the client reopened its session to read it');
      assert.equal(c.sessionState, 'active');
    } finally {
      await t.close();
      await peer.stop();
    }
  });
});

describe('failures without a working BMC', () => {
  test('unreachable BMC: IpmiTimeoutError after every retry', async () => {
    const transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
    const port = await freeUdpPort();
    const c = new IpmiClient({ host: '127.0.0.1', port, username: 'admin', password: 'password', transport, timeoutMs: 100, retries: 2 });
    const t0 = Date.now();
    const err = await c.chassisStatus().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof IpmiTimeoutError, String(err));
    assert.equal(err.attempts, 3);
    assert.ok(Date.now() - t0 >= 280);
    assert.match(err.message, new RegExp(`127.0.0.1:${port}`));
    await transport.close();
  });

  test('garbage datagrams from a "BMC" never crash or hang the client; other sessions keep working', async (t) => {
    const responder = createSocket('udp4');
    await new Promise<void>((r) => responder.bind(0, '127.0.0.1', () => r()));
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    responder.on('message', (msg, rinfo) => {
      // answer every request with: truncations of it, random bytes, and a bit-flipped copy
      const out = [msg.subarray(0, rnd() % msg.length), Buffer.from(Array.from({ length: rnd() % 64 }, () => rnd() & 0xff)), Buffer.from(msg)];
      out[2][rnd() % msg.length] ^= 0xff;
      out.push(Buffer.from([0x06, 0x00, 0xff, 0x07, 0x06, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
      for (const b of out) responder.send(b, rinfo.port, rinfo.address);
    });
    const transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
    const { port } = responder.address();
    const c = new IpmiClient({ host: '127.0.0.1', port, username: 'admin', password: 'password', transport, timeoutMs: 80, retries: 2 });
    await assert.rejects(c.chassisStatus(), IpmiTimeoutError);
    assert.ok(transport.stats.dropped >= 6, `dropped ${transport.stats.dropped}`);
    const sim = missingPyghmi() ? null : await startPyghmi();
    if (sim) {
      const good = new IpmiClient({ host: sim.host, port: sim.port, username: 'admin', password: 'password', transport, timeoutMs: 400, retries: 2 });
      const flood = Promise.allSettled(Array.from({ length: 5 }, () => c.chassisStatus()));
      assert.equal(typeof (await good.chassisStatus()).powerOn, 'boolean');
      await flood;
      await good.close();
      await sim.stop();
    } else t.diagnostic('pyghmi missing: skipped the concurrent good session');
    await transport.close();
    responder.close();
  });
});
