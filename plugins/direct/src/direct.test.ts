/**
 * instance_info → image_info (checksums, whole-disk vs partition, Ironic's missing-parameter messages), and the
 * agent client against the simulated agent over real HTTP: IPA's error shapes (401 token, 404 extension, 400
 * command, 409 busy → AgentInProgress), async commands polled to completion, FAILED results' details.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileDisk, SimAgent } from '@anvil/agent-sim';
import { AgentClient, commandErrorText } from './agent-client.ts';
import { buildImageInfo, checksumOf, isWholeDiskImage, validateInstanceInfo } from './image-info.ts';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';

test('image_info: checksums, whole-disk vs partition, validation messages', () => {
  assert.throws(() => validateInstanceInfo({}), /Missing are: \['image_source'\]/);
  assert.throws(() => validateInstanceInfo({ image_source: 'http://h/i' }), /Missing are: \['image_checksum'\]/);
  assert.throws(() => validateInstanceInfo({ image_source: 'glance-uuid', image_checksum: md5 }), /not a valid HTTP/);
  assert.throws(() => validateInstanceInfo({ image_source: 'http://h/i', image_os_hash_algo: 'crc32', image_os_hash_value: 'x' }), /Unsupported image_os_hash_algo/);
  assert.throws(() => validateInstanceInfo({ image_source: 'http://h/i', image_checksum: md5, kernel: 'http://k', ramdisk: 'http://r' }), /root_gb/);
  assert.deepEqual(checksumOf({ image_checksum: md5 }), { algo: 'md5', value: md5 });
  assert.equal(checksumOf({ image_checksum: 'a'.repeat(64) }).algo, 'sha256');
  assert.equal(checksumOf({ image_checksum: `sha512:${'B'.repeat(128)}` }).value, 'b'.repeat(128));
  assert.deepEqual(checksumOf({ image_checksum: md5, image_os_hash_algo: 'sha256', image_os_hash_value: 'C'.repeat(64) }), { algo: 'sha256', value: 'c'.repeat(64) });
  const whole = buildImageInfo('n1', { image_source: 'http://h/images/disk.raw', image_checksum: md5 });
  assert.equal(whole.id, 'disk.raw');
  assert.deepEqual(whole.urls, ['http://h/images/disk.raw']);
  assert.equal(whole.image_type, 'whole-disk-image');
  assert.equal(whole.disk_format, 'raw');
  assert.equal(whole.checksum, md5);
  const part = buildImageInfo('n1', { image_source: 'http://h/p.img', image_checksum: md5, kernel: 'http://k', ramdisk: 'http://r', root_gb: '2', swap_mb: 512, ephemeral_gb: 1 });
  assert.equal(part.image_type, 'partition');
  assert.deepEqual([part.root_mb, part.swap_mb, part.ephemeral_mb, part.ephemeral_format], [2048, 512, 1024, 'ext4']);
  assert.equal(isWholeDiskImage({ kernel: 'k' }), true);
});

test('agent client against the simulated agent: error shapes, busy, async polling, FAILED details', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-client-'));
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const image = Buffer.from('image bytes');
  const images = createServer(async (_req, res) => {
    await gate; // hold the download so the command stays RUNNING
    res.end(image);
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()));
  const imageUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}/img`;
  const agent = new SimAgent({ apiUrl: 'http://127.0.0.1:9', macs: ['52:54:00:00:00:09'], disk: new FileDisk(join(dir, 'd'), 1024 * 1024), powerOff: async () => undefined });
  await agent.start();
  agent.token = 'tok-1';
  try {
    const bad = new AgentClient(agent.url, 'wrong');
    await assert.rejects(bad.command('standby.get_partition_uuids', {}, true), (e: Error & { code: string }) => /401.*Token invalid/.test(e.message) && e.code === 'AgentAPIError');
    const c = new AgentClient(agent.url, 'tok-1');
    await assert.rejects(c.command('nope.x', {}, true), /404 .*Extension with id nope not found/);
    await assert.rejects(c.command('standby.nope', {}, true), /400 .*Unknown command: nope/);
    const ok = await c.command('standby.get_partition_uuids', {}, true);
    assert.equal(ok.command_status, 'SUCCEEDED');
    assert.equal(ok.command_name, 'get_partition_uuids');
    const info = { id: 'img', urls: [imageUrl], os_hash_algo: 'sha256', os_hash_value: createHash('sha256').update('other').digest('hex'), image_type: 'whole-disk-image' };
    const running = await c.command('deploy.execute_deploy_step', { step: { interface: 'deploy', step: 'write_image', args: { image_info: info } } }, false);
    assert.equal(running.command_status, 'RUNNING');
    await assert.rejects(c.command('standby.get_partition_uuids', {}, true), (e: Error & { code: string }) => e.code === 'AgentInProgress' && /Agent is busy: executing command execute_deploy_step/.test(e.message));
    release();
    const done = await c.waitFor('execute_deploy_step', 20);
    assert.equal(done.command_status, 'FAILED');
    assert.equal(done.command_error?.type, 'ImageChecksumError');
    assert.match(commandErrorText(done), /Image failed to verify against checksum/);
    assert.deepEqual((await c.commands()).map((x) => x.command_name), ['get_partition_uuids', 'execute_deploy_step']);
    await assert.rejects(new AgentClient('http://127.0.0.1:9', 't', 2000).command('standby.sync', {}, true), (e: Error & { code: string }) => e.code === 'AgentConnectionFailed');
  } finally {
    release();
    await agent.stop();
    images.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
