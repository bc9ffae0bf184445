/**
 * `anvil watch` as a user runs it against a real `anvil server`: it prints the node's state changes live (json and
 * table lines); against an API without the event stream's auth it says so in one line. `anvil completion bash`
 * is valid bash that completes command names, subcommands and setting flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer } from '../anvil-server.ts';
import { until } from '../wait.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'anvil.js');

test('anvil watch prints a node going enroll → verifying → manageable as it happens', { timeout: 120_000 }, async () => {
  const anvil = await startServer({ driver: 'fake-hardware', settings: { compute_enabled: false } });
  const watchers = ['json', 'table'].map((f) => {
    const child = spawn(process.execPath, [BIN, 'watch', '--endpoint', anvil.url, '-f', f], { stdio: ['ignore', 'pipe', 'pipe'] });
    const io = { out: '', err: '' };
    child.stdout.on('data', (d) => (io.out += d));
    child.stderr.on('data', (d) => (io.err += d));
    return { child, io };
  });
  try {
    await until('both watchers connected', async () => watchers.every((w) => w.io.err.includes('following')), 30_000); // said on stderr
    const node = await anvil.api('POST', '/nodes', { driver: 'fake-hardware', name: 'watched' });
    assert.equal((await anvil.api('PUT', `/nodes/${node.body.uuid}/states/provision`, { target: 'manage' })).status, 202);
    const events = await until('manageable in the json stream', async () => {
      const out = watchers[0].io.out;
      const lines = out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l)); // complete lines
      return lines.some((e) => e.provision_state === 'manageable') ? lines : undefined;
    }, 30_000);
    assert.deepEqual(events.filter((e) => e.uuid === node.body.uuid).map((e) => e.provision_state), ['verifying', 'manageable']);
    await until('the table line', async () => watchers[1].io.out.includes(`${node.body.uuid}  manageable`), 10_000);
    assert.match(watchers[1].io.out, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ${node.body.uuid}  verifying → manageable`, 'm'));
  } finally {
    for (const w of watchers) w.child.kill('SIGTERM');
    await anvil.stop();
  }
  // nothing listening: one line, exit 1
  const dead = spawn(process.execPath, [BIN, 'watch', '--endpoint', anvil.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  dead.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => dead.once('close', r)); // its stderr read to the end
  assert.equal(code, 1);
  assert.match(err, /^anvil: anvil watch: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/anvil\/events \(.*\)\n$/);
});

test('anvil completion bash completes commands, subcommands and setting flags', () => {
  const script = execFileSync(process.execPath, [BIN, 'completion', 'bash'], { encoding: 'utf8' });
  const complete = (words: string[]) =>
    execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _anvil; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' }).trim();
  assert.equal(complete(['anvil', 'con']), 'conductor config configdrive');
  assert.equal(complete(['anvil', 'config', '']), 'show check');
  assert.equal(complete(['anvil', 'server', '--databa']), '--database-url');
  assert.equal(complete(['anvil', 'conductor', '--ipmi-ret']), '--ipmi-retries'); // a plugin's setting
});
