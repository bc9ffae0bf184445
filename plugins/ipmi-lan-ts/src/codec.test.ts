/**
 * Pure codec tests: the IPMI v2.0 spec's example packet, and byte-for-byte replays of ipmitool sessions captured
 * with tcpdump on 127.0.0.1 (fixtures/ipmitool-suite{3,17}.json: ipmitool ↔ ipmi_sim, ipmitool ↔ pyghmi BMC).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CIPHER_SUITES } from './cipher-suites.ts';
import { parseChannelAuthCapabilities, parseChassisStatus } from './commands.ts';
import {
  aesDecrypt,
  aesEncrypt,
  deriveK,
  deriveSik,
  type RakpContext,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  userKey,
} from './crypto.ts';
import { checksum, decodeRequest, decodeResponse, encodeRequest } from './message.ts';
import { decodeV15, decodeV20, encodeV15, encodeV20, NO_CRYPTO, PayloadType, type SessionCrypto } from './packet.ts';
import {
  decodeOpenSessionRequest,
  decodeOpenSessionResponse,
  decodeRakp1,
  decodeRakp2,
  decodeRakp3,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
} from './rakp.ts';
import { decodeAsfPong, encodeAsfPing, encodeAsfPong } from './rmcp.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('spec example: Get Channel Authentication Capabilities request over IPMI v1.5 framing', () => {
  // IPMI v2.0 §13 example: RMCP 06 00 ff 07, auth none, seq 0, session 0, length 9, message with both checksums
  const want = hex('0600ff07 00 00000000 00000000 09 2018c8 81 00 38 8e04 b5');
  const msg = encodeRequest({ netFn: 0x06, cmd: 0x38, rqSeq: 0, data: Buffer.from([0x8e, 0x04]) });
  assert.deepEqual(encodeV15({ payload: msg }), want);
  const back = decodeRequest(decodeV15(want).payload);
  assert.equal(back.netFn, 6);
  assert.equal(back.cmd, 0x38);
  assert.deepEqual([...back.data], [0x8e, 0x04]);
});

test('checksum makes the covered bytes sum to zero', () => {
  assert.equal(checksum(Buffer.from([0x20, 0x18])), 0xc8);
  assert.equal(checksum(Buffer.from([0x81, 0x04, 0x01])), 0x7a);
  const b = encodeRequest({ netFn: 0, cmd: 1, rqSeq: 5, data: Buffer.from([1, 2, 3]) });
  assert.equal(b.subarray(0, 3).reduce((a, x) => (a + x) & 0xff, 0), 0);
  assert.equal(b.subarray(3).reduce((a, x) => (a + x) & 0xff, 0), 0);
  const bad = Buffer.from(b);
  bad[bad.length - 1] ^= 1;
  assert.throws(() => decodeRequest(bad), { name: 'IpmiMalformedError' });
});

test('ASF presence ping and pong', () => {
  assert.deepEqual(encodeAsfPing(0x21), hex('0600ff06 000011be 80 21 00 00'));
  const pong = decodeAsfPong(encodeAsfPong(0x21));
  assert.equal(pong.tag, 0x21);
  assert.equal(pong.iana, 4542);
  assert.equal(pong.ipmiSupported, true);
  assert.throws(() => decodeAsfPong(encodeAsfPing(1)), { name: 'IpmiMalformedError' });
});

test('AES-CBC-128 confidentiality pads with 01 02 .. n, n and round-trips every length', () => {
  const k2 = Buffer.alloc(20, 7);
  const iv = Buffer.alloc(16, 9);
  for (let n = 0; n < 40; n++) {
    const plain = Buffer.alloc(n, n);
    const enc = aesEncrypt(k2, plain, iv);
    assert.equal((enc.length - 16) % 16, 0);
    assert.deepEqual(aesDecrypt(k2, enc), plain);
  }
  assert.throws(() => aesDecrypt(k2, Buffer.alloc(20)), { name: 'IpmiMalformedError' });
});

interface Capture {
  suite: number;
  username: string;
  password: string;
  packets: { from: 'bmc' | 'console'; hex: string }[];
}

for (const suite of [3, 17]) {
  test(`byte-for-byte replay of an ipmitool cipher suite ${suite} session`, () => {
    const cap = JSON.parse(readFileSync(new URL(`./fixtures/ipmitool-suite${suite}.json`, import.meta.url), 'utf8')) as Capture;
    const pk = cap.packets.map((p) => ({ from: p.from, buf: hex(p.hex) }));
    const v20 = (t: number) => {
      const p = pk.find((x) => x.buf[4] === 6 && (x.buf[5] & 0x3f) === t);
      assert.ok(p, `capture has payload type 0x${t.toString(16)}`);
      return p.buf;
    };
    // Channel auth capabilities: request as the spec shows, reply advertises IPMI v2.0
    const caps = parseChannelAuthCapabilities(decodeResponse(decodeV15(pk[1].buf).payload).data);
    assert.equal(caps.ipmi20, true);

    // Open Session
    const osreqRaw = v20(PayloadType.OPEN_SESSION_REQUEST);
    const osreq = decodeOpenSessionRequest(decodeV20(osreqRaw, NO_CRYPTO).payload);
    assert.deepEqual(osreq.suite, { auth: CIPHER_SUITES[suite].auth, integrity: CIPHER_SUITES[suite].integrity, confidentiality: CIPHER_SUITES[suite].confidentiality });
    const ours = encodeV20(
      { payloadType: PayloadType.OPEN_SESSION_REQUEST, sessionId: 0, seq: 0, payload: encodeOpenSessionRequest({ ...osreq, suite: CIPHER_SUITES[suite] }) },
      NO_CRYPTO,
    );
    assert.deepEqual(ours, osreqRaw, 'Open Session Request encodes exactly as ipmitool sends it');
    const osresp = decodeOpenSessionResponse(decodeV20(v20(PayloadType.OPEN_SESSION_RESPONSE), NO_CRYPTO).payload);
    assert.equal(osresp.status, 0);
    assert.equal(osresp.consoleSessionId, osreq.consoleSessionId);

    // RAKP 1..4
    const r1raw = v20(PayloadType.RAKP1);
    const r1 = decodeRakp1(decodeV20(r1raw, NO_CRYPTO).payload);
    assert.equal(r1.username.toString(), cap.username);
    assert.deepEqual(encodeV20({ payloadType: PayloadType.RAKP1, sessionId: 0, seq: 0, payload: encodeRakp1(r1) }, NO_CRYPTO), r1raw);
    const r2 = decodeRakp2(decodeV20(v20(PayloadType.RAKP2), NO_CRYPTO).payload);
    const r3raw = v20(PayloadType.RAKP3);
    const r3 = decodeRakp3(decodeV20(r3raw, NO_CRYPTO).payload);
    const r4 = decodeRakp4(decodeV20(v20(PayloadType.RAKP4), NO_CRYPTO).payload);
    const sid = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    const ctx: RakpContext = {
      authAlg: CIPHER_SUITES[suite].auth,
      sidM: sid(osreq.consoleSessionId),
      sidC: sid(osresp.bmcSessionId),
      rm: r1.rm,
      rc: r2.rc,
      guid: r2.guid,
      role: r1.role,
      username: r1.username,
    };
    const kuid = userKey(cap.password);
    assert.deepEqual(rakp2AuthCode(ctx, kuid), r2.authCode, 'RAKP 2 auth code (BMC side) verifies');
    assert.deepEqual(rakp3AuthCode(ctx, kuid), r3.authCode, 'RAKP 3 auth code equals what ipmitool computed');
    assert.deepEqual(
      encodeV20({ payloadType: PayloadType.RAKP3, sessionId: 0, seq: 0, payload: encodeRakp3({ tag: r3.tag, status: 0, bmcSessionId: r3.bmcSessionId, authCode: rakp3AuthCode(ctx, kuid) }) }, NO_CRYPTO),
      r3raw,
    );
    const sik = deriveSik(ctx, kuid);
    assert.deepEqual(rakp4Icv(ctx, sik), r4.icv, 'RAKP 4 integrity check value verifies');
    assert.equal(userKey('wrong').equals(kuid), false);
    assert.notDeepEqual(rakp2AuthCode(ctx, userKey('wrong')), r2.authCode);

    // Session packets: verify integrity, decrypt, decode, and re-encode with the same IV → identical bytes
    const keys: SessionCrypto = {
      integrity: CIPHER_SUITES[suite].integrity,
      confidentiality: CIPHER_SUITES[suite].confidentiality,
      k1: deriveK(ctx.authAlg, sik, 1),
      k2: deriveK(ctx.authAlg, sik, 2),
    };
    const session = pk.filter((x) => x.buf[4] === 6 && (x.buf[5] & 0x3f) === PayloadType.IPMI);
    assert.ok(session.length >= 4);
    let sawStatus = false;
    for (const p of session) {
      const d = decodeV20(p.buf, keys);
      assert.equal(d.encrypted && d.authenticated, true);
      assert.equal(d.sessionId, p.from === 'console' ? osresp.bmcSessionId : osreq.consoleSessionId);
      const again = encodeV20({ payloadType: PayloadType.IPMI, sessionId: d.sessionId, seq: d.seq, payload: d.payload, iv: p.buf.subarray(16, 32) }, keys);
      assert.deepEqual(again, p.buf, `${p.from} packet seq ${d.seq} re-encodes byte for byte`);
      if (p.from === 'bmc') {
        const r = decodeResponse(d.payload);
        if (r.netFn === 1 && r.cmd === 1) {
          parseChassisStatus(r.data);
          sawStatus = true;
        }
      } else {
        decodeRequest(d.payload);
      }
      const tampered = Buffer.from(p.buf);
      tampered[20] ^= 0x40;
      assert.throws(() => decodeV20(tampered, keys), { name: 'IpmiMalformedError' });
    }
    assert.ok(sawStatus, 'the chassis status answer was decoded');
  });
}

test('fuzz: random and truncated datagrams only ever raise IpmiMalformedError', () => {
  const cap = JSON.parse(readFileSync(new URL('./fixtures/ipmitool-suite3.json', import.meta.url), 'utf8')) as Capture;
  const seeds = cap.packets.map((p) => hex(p.hex));
  const keys: SessionCrypto = { integrity: 1, confidentiality: 1, k1: Buffer.alloc(20, 1), k2: Buffer.alloc(20, 2) };
  let rnd = 12345;
  const next = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
  const decoders = [
    (b: Buffer) => decodeV15(b),
    (b: Buffer) => decodeV20(b, NO_CRYPTO),
    (b: Buffer) => decodeV20(b, keys),
    (b: Buffer) => decodeResponse(b),
    (b: Buffer) => decodeAsfPong(b),
    (b: Buffer) => decodeOpenSessionResponse(b),
    (b: Buffer) => decodeRakp2(b),
    (b: Buffer) => decodeRakp4(b),
  ];
  for (let i = 0; i < 3000; i++) {
    const seed = seeds[next() % seeds.length];
    let b: Buffer;
    const mode = next() % 3;
    if (mode === 0) b = seed.subarray(0, next() % (seed.length + 1));
    else if (mode === 1) {
      b = Buffer.from(seed);
      for (let j = 0; j < 3; j++) b[next() % b.length] = next() & 0xff;
    } else b = Buffer.from(Array.from({ length: next() % 80 }, () => next() & 0xff));
    for (const dec of decoders) {
      try {
        dec(b);
      } catch (e) {
        assert.equal((e as Error).name, 'IpmiMalformedError', `${(e as Error).stack}`);
      }
    }
  }
});
