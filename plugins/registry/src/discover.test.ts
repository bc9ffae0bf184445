import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverPackages, nodeModulesChain } from './discover.ts';
import { parseManifest } from './manifest.ts';
import { tempPluginDir, writePackage } from './test-packages.ts';

test('discovers scoped and plain packages with an "anvil" field, follows symlinks, first name wins', () => {
  const root = tempPluginDir();
  const nmA = join(root, 'a', 'node_modules');
  const nmB = join(root, 'b', 'node_modules');
  mkdirSync(join(nmA, '@vendor'), { recursive: true });
  mkdirSync(nmB, { recursive: true });
  writePackage(join(nmA, '@vendor'), 'plugin-x', { hardware_types: { x: './x.js' } }, {});
  writePackage(nmA, 'not-a-plugin', undefined, {}); // no anvil field (JSON drops undefined)
  const real = writePackage(join(root, 'elsewhere'), 'linked-plugin', { interfaces: { power: { y: './y.js' } } }, {});
  symlinkSync(real, join(nmA, 'linked-plugin'));
  writePackage(nmB, 'linked-plugin', { interfaces: { power: { z: './z.js' } } }, {}); // same name, later dir
  mkdirSync(join(nmA, 'broken'));
  writeFileSync(join(nmA, 'broken', 'package.json'), '{ "anvil": ');
  const r = discoverPackages([nmA, nmB]);
  assert.deepEqual(r.packages.map((p) => p.name).sort(), ['linked-plugin', 'plugin-x']);
  assert.equal(r.packages.find((p) => p.name === 'linked-plugin')!.dir, realpathSync(real));
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0].problem, /package.json is not valid JSON/);
});

test('plugin_dirs: a package dir or a dir of packages; a missing dir is a problem', () => {
  const root = tempPluginDir();
  const one = writePackage(root, 'single', { hardware_types: { s: './s.js' } }, {});
  const many = join(root, 'many');
  writePackage(many, 'p1', { hardware_types: { p1: './p.js' } }, {});
  writePackage(many, 'p2', { hardware_types: { p2: './p.js' } }, {});
  const r = discoverPackages([], [one, many, join(root, 'missing')]);
  assert.deepEqual(r.packages.map((p) => p.name).sort(), ['p1', 'p2', 'single']);
  assert.match(r.problems[0].problem, /does not exist/);
});

test('nodeModulesChain walks up from a directory', () => {
  const root = tempPluginDir();
  mkdirSync(join(root, 'node_modules'));
  mkdirSync(join(root, 'x', 'y'), { recursive: true });
  const chain = nodeModulesChain(join(root, 'x', 'y'));
  assert.equal(chain[0], join(root, 'node_modules'));
});

test('manifest problems: bad shapes, unknown keys and kinds, invalid names', () => {
  assert.deepEqual(parseManifest([]).problems, ['the "anvil" field must be an object']);
  const p = parseManifest({ hardware_types: { 'bad name': './x.js', ok: 5 }, interfaces: { power: 'x', warp: {} }, extra: 1 });
  assert.equal(p.problems.length, 5, p.problems.join('\n'));
  assert.ok(p.problems.some((m) => /unknown key "anvil.extra"/.test(m)));
  assert.ok(p.problems.some((m) => /unknown interface kind 'warp'/.test(m)));
  const good = parseManifest({ hardware_types: { a: './a.js' }, interfaces: { vendor: { v: './v.js' } } });
  assert.deepEqual(good.problems, []);
  assert.deepEqual(good.interfaces, [{ kind: 'vendor', name: 'v', file: './v.js' }]);
});
