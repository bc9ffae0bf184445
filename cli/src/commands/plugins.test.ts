/** `anvil plugins` as a user runs it: the real CLI process, real plugin packages in a temp dir. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'anvil.js');

function plugin(root: string, name: string, anvil: unknown, files: Record<string, string>): void {
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'package.json'), JSON.stringify({ name, version: '2.0.0', type: 'module', anvil }));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, name, f), text);
}

test('lists packages, their entry points and each enabled type with defaults', async () => {
  const root = mkdtempSync(join(tmpdir(), 'anvil-plugins-cmd-'));
  try {
    plugin(root, 'vendor-x', { hardware_types: { 'x-type': './ht.js' } }, {
      'ht.js': `export default ${JSON.stringify({ name: 'x-type', supported: { power: ['fake'], management: ['fake'], boot: ['fake'], deploy: ['fake'] } })};`,
    });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANVIL_')));
    const { stdout } = await run(process.execPath, [BIN, 'plugins', '--set', `plugin_dirs=${root}`, '--enabled-hardware-types', 'fake-hardware,x-type'], { env });
    assert.match(stdout, /vendor-x@2\.0\.0 .*\n {4}hardware types: x-type/);
    assert.match(stdout, /@anvil\/plugin-fake-hardware@/);
    assert.match(stdout, /^ {2}x-type \(vendor-x\)$/m);
    assert.match(stdout, /^ {4}power {6}default fake; enabled fake$/m);
    plugin(root, 'vendor-broken', { interfaces: { power: { b: './p.js' } } }, { 'p.js': 'throw new Error("nope")' });
    await assert.rejects(
      run(process.execPath, [BIN, 'plugins', '--set', `plugin_dirs=${root}`, '--set', 'enabled_power_interfaces=fake,b'], { env }),
      (e: any) => e.code === 1 && /anvil: Anvil cannot start: plugin package vendor-broken: .*throws on load.*nope/.test(e.stderr),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
