/**
 * The TFTP server against the real tftp-hpa client (downloads, "Access violation" for paths outside the root and
 * for writes, "File not found") and against a raw client built from the codec (RFC 2347 OACK with blksize/tsize,
 * lock-step ACKs, retransmission after a lost ACK).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decode, encodeAck, encodeError, encodeOack, encodeRrq, negotiate, OP } from './tftp-codec.ts';
import { TftpServer } from './tftp-server.ts';

const TFTP = '/usr/bin/tftp';
const noClient = existsSync(TFTP) ? false : 'tftp-hpa (/usr/bin/tftp) is not installed';

test('codec: requests with options, data, ack, error, oack round trip', () => {
  const rrq = decode(encodeRrq('pxelinux.cfg/01-aa', 'octet', { blksize: '1428', tsize: '0' }));
  assert.deepEqual(rrq, { op: OP.RRQ, filename: 'pxelinux.cfg/01-aa', mode: 'octet', options: { blksize: '1428', tsize: '0' } });
  assert.deepEqual(decode(encodeAck(70000)), { op: OP.ACK, block: 70000 & 0xffff });
  assert.deepEqual(decode(encodeError(2, 'Access violation')), { op: OP.ERROR, code: 2, message: 'Access violation' });
  assert.deepEqual(decode(encodeOack({ blksize: '512' })), { op: OP.OACK, options: { blksize: '512' } });
  assert.throws(() => decode(Buffer.from([0, 9, 0, 0])), /unknown opcode/);
  assert.throws(() => decode(Buffer.from([0, 1, 65, 66])), /unterminated/);
  assert.deepEqual(negotiate({ blksize: '99999', tsize: '0', timeout: '0' }, 1234), { accepted: { blksize: '65464', tsize: '1234' }, blksize: 65464, timeoutSec: null });
  assert.deepEqual(negotiate({ blksize: '4' }, 1).accepted, {}, 'blksize below 8 is ignored');
});

describe('TFTP server', () => {
  let root: string;
  let outside: string;
  let server: TftpServer;
  const big = randomBytes(512 * 300 + 17);
  const exact = randomBytes(1024); // a multiple of 512: an empty last block ends it

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'tftp-root-'));
    outside = mkdtempSync(join(tmpdir(), 'tftp-outside-'));
    writeFileSync(join(outside, 'secret'), 'nope');
    mkdirSync(join(root, 'node'));
    writeFileSync(join(root, 'node', 'config'), 'default deploy\n');
    writeFileSync(join(root, 'big.bin'), big);
    writeFileSync(join(root, 'exact.bin'), exact);
    mkdirSync(join(root, 'pxelinux.cfg'));
    symlinkSync('../node/config', join(root, 'pxelinux.cfg', '01-aa-bb'));
    symlinkSync(join(outside, 'secret'), join(root, 'escape'));
    server = new TftpServer({ root, port: 0, timeoutSec: 0.2 as number, retries: 3 });
    await server.start();
  });
  after(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  // async: the server runs in this process, a blocking spawn would starve it
  const hpa = (...cmd: string[]): Promise<{ out: string; data: Buffer | null }> => {
    const dir = mkdtempSync(join(tmpdir(), 'tftp-get-'));
    const local = join(dir, 'out');
    const args = ['-m', 'binary', '127.0.0.1', String(server.port), '-c', ...cmd.map((c) => (c === '@local' ? local : c))];
    return new Promise((resolve) => {
      execFile(TFTP, args, { encoding: 'utf8', timeout: 20_000 }, (_err, stdout, stderr) => {
        const data = existsSync(local) ? readFileSync(local) : null;
        rmSync(dir, { recursive: true, force: true });
        resolve({ out: `${stdout}${stderr}`, data });
      });
    });
  };

  test('tftp-hpa downloads files, through a per-MAC symlink too', async () => {
    if (noClient) throw new Error(`missing prerequisite: ${noClient}`);
    assert.ok((await hpa('get', 'big.bin', '@local')).data?.equals(big));
    assert.ok((await hpa('get', 'exact.bin', '@local')).data?.equals(exact));
    assert.equal((await hpa('get', 'pxelinux.cfg/01-aa-bb', '@local')).data?.toString(), 'default deploy\n');
    assert.equal((await hpa('get', `${root}/node/config`, '@local')).data?.toString(), 'default deploy\n', 'a full path under the root works (pxelinux prefix)');
  });

  test('paths outside the root and writes are refused with Access violation; missing files with File not found', async () => {
    if (noClient) throw new Error(`missing prerequisite: ${noClient}`);
    // an absolute path is taken relative to the root (like tftpd -s): the host's /etc/passwd is not there
    assert.match((await hpa('get', '/etc/passwd', '@local')).out, /File not found|Error code 1/);
    for (const p of ['../../etc/passwd', 'node/../../x', 'escape']) {
      const r = await hpa('get', p, '@local');
      assert.match(r.out, /Access violation|Error code 2/, p);
    }
    assert.match((await hpa('get', 'nothing-here', '@local')).out, /File not found|Error code 1/);
    const src = join(root, 'node', 'config');
    assert.match((await hpa('put', src, 'new-file')).out, /Access violation|Error code 2/);
    assert.ok(!existsSync(join(root, 'new-file')));
    assert.ok(server.served.some((s) => s.error === 'outside root'));
  });

  test('raw client: OACK with blksize and tsize, lock-step ACKs, a lost ACK is retransmitted', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const inbox: { msg: Buffer; port: number }[] = [];
    let wake: (() => void) | null = null;
    sock.on('message', (msg, rinfo) => {
      inbox.push({ msg, port: rinfo.port });
      wake?.();
    });
    const next = async () => {
      while (!inbox.length) await new Promise<void>((r) => (wake = r));
      return inbox.shift()!;
    };
    try {
      sock.send(encodeRrq('big.bin', 'octet', { blksize: '1428', tsize: '0' }), server.port, '127.0.0.1');
      const first = await next();
      const oack = decode(first.msg);
      assert.deepEqual(oack, { op: OP.OACK, options: { blksize: '1428', tsize: String(big.length) } });
      const tid = first.port;
      assert.notEqual(tid, server.port, 'the transfer uses its own port');
      sock.send(encodeAck(0), tid, '127.0.0.1');
      const chunks: Buffer[] = [];
      let dropped = false;
      for (;;) {
        const p = decode((await next()).msg);
        assert.equal(p.op, OP.DATA);
        if (p.op !== OP.DATA) break;
        if (p.block === 2 && !dropped) {
          dropped = true; // do not ACK: the server must send block 2 again
          continue;
        }
        if (chunks.length < p.block) chunks.push(p.data);
        sock.send(encodeAck(p.block), tid, '127.0.0.1');
        if (p.data.length < 1428) break;
      }
      assert.ok(Buffer.concat(chunks).equals(big));
    } finally {
      sock.close();
    }
  });
});
